package io.tributary.broker.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.broker.BrokerStats;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.QueueFullPolicy;
import io.tributary.broker.SlowSubscribers;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.broker.testsupport.Packets;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code max-queued-bytes}: a session's queue is bounded by the bytes of its messages (payload and topic) as well
 * as by their number. Offline, {@code queue-full-policy} decides what goes, each drop counted; online, QoS 0
 * beyond the bound is dropped and counted.
 */
class QueueBytesTest {
    /** Each test message: a 2-character topic and 30 bytes of payload, 32 bytes in all. */
    private static final int MESSAGE_BYTES = 32;
    /** Room for three messages, with the message-count bound far away. */
    private static final int QUEUE_BYTES = 3 * MESSAGE_BYTES + 10;

    @ParameterizedTest
    @EnumSource(QueueFullPolicy.class)
    void offlineSessionKeepsWhatFitsItsBytesByPolicyAndCountsTheRest(QueueFullPolicy policy) throws Exception {
        try (RunningBroker broker = RunningBroker.start(config -> config.maxQueuedMessages(1000)
                .maxQueuedBytes(QUEUE_BYTES).queueFullPolicy(policy))) {
            Mqtt5BlockingClient subscriber = MqttClient.builder().useMqttVersion5().identifier("bytes-" + policy)
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                subscriber.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
                subscriber.subscribeWith().topicFilter("q/#").qos(MqttQos.AT_LEAST_ONCE).send();
                subscriber.disconnect();
                Await.until(Duration.ofSeconds(3), "the session detached", broker.broker().whenAllDetached()::isDone);

                for (int i = 1; i <= 5; i++) {
                    broker.broker().publish(Message.of("q/", payload(i), QoS.AT_LEAST_ONCE, false)).join();
                }
                BrokerStats stats = broker.broker().stats();
                assertEquals(2, stats.droppedQueueFull(), "two of five did not fit: " + stats);
                assertEquals(3, stats.queued());

                assertTrue(subscriber.connectWith().cleanStart(false).sessionExpiryInterval(60).send()
                        .isSessionPresent());
                List<String> received = new ArrayList<>();
                Optional<String> next;
                while ((next = publishes.receive(received.size() < 3 ? 3000 : 300, TimeUnit.MILLISECONDS)
                        .map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8).substring(0, 2)))
                        .isPresent()) {
                    received.add(next.get());
                }
                assertEquals(policy == QueueFullPolicy.DROP_NEW ? List.of("m1", "m2", "m3")
                        : List.of("m3", "m4", "m5"), received);
                subscriber.disconnect();
            }
        }
    }

    @Test
    void messageLargerThanTheWholeBoundIsDroppedAndCountedWithoutEmptyingTheQueue() throws Exception {
        try (RunningBroker broker = RunningBroker.start(config -> config.maxQueuedBytes(QUEUE_BYTES)
                .queueFullPolicy(QueueFullPolicy.DROP_OLDEST))) {
            Mqtt5BlockingClient subscriber = MqttClient.builder().useMqttVersion5().identifier("huge")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            subscriber.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
            subscriber.subscribeWith().topicFilter("q/#").qos(MqttQos.AT_LEAST_ONCE).send();
            subscriber.disconnect();
            Await.until(Duration.ofSeconds(3), "the session detached", broker.broker().whenAllDetached()::isDone);

            broker.broker().publish(Message.of("q/", payload(1), QoS.AT_LEAST_ONCE, false)).join();
            broker.broker().publish(Message.of("q/", new byte[QUEUE_BYTES + 1], QoS.AT_LEAST_ONCE, false)).join();
            assertEquals(1, broker.broker().stats().droppedQueueFull());
            assertEquals(1, broker.broker().stats().queued(), "the queued message was not pushed out for nothing");
        }
    }

    @Test
    void onlineQueueDropsQos0BeyondItsBytesAndNeverHoldsMoreThanTheBound() throws Exception {
        int payload = 16 * 1024;
        int bound = 64 * 1024;
        // With qos0-when-full: drop; the default (pause) holds the publisher instead (Qos0QueueBoundTest).
        try (RunningBroker broker = RunningBroker.start(c -> c.maxQueuedMessages(100_000).maxQueuedBytes(bound)
                .slowSubscribers(new SlowSubscribers(SlowSubscribers.Qos0WhenFull.DROP, Duration.ofSeconds(30))));
             RawMqttClient stuck = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "stuck")) {
            stuck.subscribe(1, "bulk/#", 0);
            stuck.expect(MqttMessageType.SUBACK, Packets.WAIT);
            long mostQueued = 0;
            for (int i = 0; i < 600; i++) { // never read by "stuck": beyond the socket buffers
                broker.broker().publish(Message.of("bulk/x", new byte[payload], QoS.AT_MOST_ONCE, false)).join();
                mostQueued = Math.max(mostQueued, broker.broker().stats().queued());
            }
            BrokerStats stats = broker.broker().stats();
            assertTrue(stats.droppedQos0() > 0, "QoS 0 beyond the bytes bound is dropped and counted: " + stats);
            assertTrue(mostQueued * payload <= bound + payload, "queued " + mostQueued + " messages of " + payload
                    + " bytes, over the bound of " + bound);
            assertFalse(stuck.closedWithin(Duration.ofMillis(100)), "the slow subscriber stays connected");
        }
    }

    /** A 30-byte payload starting with "m" and the number. */
    private static byte[] payload(int number) {
        String text = ("m" + number + "-".repeat(30)).substring(0, 30);
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
