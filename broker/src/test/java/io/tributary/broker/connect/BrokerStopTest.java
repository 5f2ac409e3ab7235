package io.tributary.broker.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Stopping the broker while persistent sessions are connected: their connections end without errors. */
class BrokerStopTest {

    @Test
    void stoppingTheBrokerWithConnectedPersistentSessionsRaisesNoUnexpectedError() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger("io.tributary");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try {
            // The failure is a race between the last channel closing and the I/O threads stopping: try it often.
            for (int i = 0; i < 20; i++) {
                RunningBroker broker = RunningBroker.start();
                try (RawMqttClient client = new RawMqttClient(broker.port())) {
                    MqttProperties expiry = new MqttProperties();
                    expiry.add(new MqttProperties.IntegerProperty(
                            MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 60));
                    client.connect(MqttVersion.MQTT_5, "stays", false, expiry);
                    broker.close();
                }
            }
        } finally {
            root.detachAppender(appender);
        }
        List<String> warnings = appender.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                        : ": " + e.getThrowableProxy().getClassName() + " " + e.getThrowableProxy().getMessage()))
                .collect(Collectors.toList());
        assertEquals(List.of(), warnings);
    }
}
