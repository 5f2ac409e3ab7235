package io.tributary.broker.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.broker.SlowSubscribers;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.broker.testsupport.Packets;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that subscribes to {@code #} at QoS 1 and then neither reads nor acknowledges fills its queue and holds
 * every matching publisher. It must not hold them for ever (its keep-alive of 60 s would end it only after 90 s, and
 * one that keeps sending PINGREQ never): after {@code stuck-subscriber-timeout} without taking a message, a clean
 * session is disconnected, and the publishers and the other subscribers go on.
 */
class StuckSubscriberTest {
    private static final Duration STUCK_TIMEOUT = Duration.ofSeconds(2);
    private static final int MESSAGES = 5_000;

    @Test
    void stuckWildcardSubscriberIsDisconnectedAndItsPublishersGoOn() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxQueuedMessages(100)
                .slowSubscribers(new SlowSubscribers(SlowSubscribers.Qos0WhenFull.PAUSE, STUCK_TIMEOUT)));
             RawMqttClient stuck = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "stuck")) {
            stuck.subscribe(1, "#", 1);
            stuck.expect(MqttMessageType.SUBACK, Packets.WAIT);
            // From here on it neither reads nor acknowledges.

            Set<String> received = ConcurrentHashMap.newKeySet();
            Mqtt5AsyncClient healthy = MqttClient.builder().useMqttVersion5().identifier("healthy")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            healthy.connect().join();
            healthy.subscribeWith().topicFilter("data/#").qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                    .send().join();
            Mqtt5AsyncClient publisher = MqttClient.builder().useMqttVersion5().identifier("publisher")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            publisher.connect().join();

            CompletableFuture<?>[] acknowledged = new CompletableFuture<?>[MESSAGES];
            for (int i = 0; i < MESSAGES; i++) {
                acknowledged[i] = publisher.publishWith().topic("data/" + (i % 10)).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(String.valueOf(i).getBytes(StandardCharsets.UTF_8)).send();
            }
            // Without the timeout the publisher would wait until the stuck client's keep-alive ran out, after 90 s.
            CompletableFuture.allOf(acknowledged).get(30, TimeUnit.SECONDS);

            assertTrue(stuck.closedWithin(Duration.ofSeconds(5)), "the stuck client was not disconnected");
            assertEquals(1, broker.broker().stats().stuckSubscribers());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.size() < MESSAGES && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(MESSAGES, received.size(), "the healthy subscriber got every message");
            publisher.disconnect().join();
            healthy.disconnect().join();
        }
    }
}
