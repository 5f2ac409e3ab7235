package io.tributary.broker.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.mqtt.Frame;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Stopping the broker while persistent sessions are connected: their connections end without errors, and not
 * before the acknowledgements the broker still owes them (a sink finishing a delivery) were sent.
 */
class BrokerStopTest {

    @Test
    @SuppressWarnings("try")
    void stoppingBrokerSendsTheAcknowledgementsItHoldsBeforeClosing() throws Exception {
        RunningBroker broker = RunningBroker.start();
        CompletableFuture<Void> sink = new CompletableFuture<>();
        List<String> held = new CopyOnWriteArrayList<>();
        try (InProcessSubscription route = broker.broker().subscribe("held/#",
                SubscribeOptions.of(QoS.EXACTLY_ONCE).holdingPublisherAck(), message -> {
                    held.add(message.payloadAsString());
                    return sink;
                });
             RawMqttClient client = new RawMqttClient(broker.port())) {
            client.connect(MqttVersion.MQTT_3_1_1, "held", false, null);
            client.publish("held/a", "one".getBytes(StandardCharsets.UTF_8), 1, false, 1, false, null);
            client.publish("held/a", "two".getBytes(StandardCharsets.UTF_8), 2, false, 2, false, null);
            Await.until(Duration.ofSeconds(10), "the sink has both messages", () -> held.size() == 2);

            CompletableFuture<Void> stopped = broker.broker().stop();
            client.assertSilentFor(Duration.ofMillis(500));
            sink.complete(null);

            assertEquals(1, client.expectFrame(Frame.PUBACK, Duration.ofSeconds(10)).packetId());
            assertEquals(2, client.expectFrame(Frame.PUBREC, Duration.ofSeconds(10)).packetId());
            assertTrue(client.closedWithin(Duration.ofSeconds(10)), "the connection stayed open");
            stopped.get(10, TimeUnit.SECONDS);
        } finally {
            sink.complete(null);
            broker.close();
        }
    }

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
