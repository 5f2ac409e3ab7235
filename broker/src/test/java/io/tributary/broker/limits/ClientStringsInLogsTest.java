package io.tributary.broker.limits;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A client identifier made to forge log lines (CR, LF, a terminal escape) and to fill them (10,000 characters)
 * reaches the broker's logs escaped and cut: every line the broker writes about it is one line, of bounded length.
 */
class ClientStringsInLogsTest {

    @Test
    void forgedClientIdentifierIsEscapedAndCutInEveryLogLine() throws Exception {
        String forged = "dev\r\n12:00:00.000 INFO  [main] admin logged in\u001b[2J" + "x".repeat(10_000);
        Logger brokerLog = (Logger) LoggerFactory.getLogger("io.tributary.broker");
        Level before = brokerLog.getLevel();
        Lines appender = new Lines();
        appender.start();
        brokerLog.addAppender(appender);
        brokerLog.setLevel(Level.DEBUG);
        try (RunningBroker broker = RunningBroker.start()) {
            try (RawMqttClient client = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, forged)) {
                Await.until(Duration.ofSeconds(3), "the connection logged",
                        () -> appender.lines.stream().anyMatch(line -> line.startsWith("dev")));
            }
            Await.until(Duration.ofSeconds(3), "the disconnection logged",
                    () -> appender.lines.stream().anyMatch(line -> line.contains("disconnected")));
        } finally {
            brokerLog.detachAppender(appender);
            brokerLog.setLevel(before);
        }
        List<String> lines = List.copyOf(appender.lines);
        for (String line : lines) {
            assertFalse(line.contains("\r") || line.contains("\n") || line.contains("\u001b"), "raw: " + line);
            assertTrue(line.length() < 1000, "a log line of " + line.length() + " characters: " + line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("dev\\u000d\\u000a12:00:00.000")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("...(" + forged.length() + " chars)")),
                String.join("\n", lines));
    }

    /** The broker's log lines as formatted, collected from every thread. */
    private static final class Lines extends AppenderBase<ILoggingEvent> {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getFormattedMessage());
        }
    }
}
