package io.tributary.broker.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.broker.BrokerStats;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import io.tributary.broker.testsupport.Packets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that stops reading must not make the broker lose, or pile up without bound, the QoS 1
 * messages it acknowledged: with maxQueuedMessages(100) the broker holds back the publishers' PUBACKs
 * (flow control, not loss), and every acknowledged message arrives once the subscriber reads again
 * [MQTT-4.3.2 / 4.5: a QoS 1 message acknowledged by the server is owned by it].
 */
class SlowSubscriberBackPressureTest {
    private static final int QUEUE = 100;
    private static final int IN_FLIGHT = 64; // the broker's default maxInFlight, our Receive Maximum
    private static final int MESSAGES = 400;
    /**
     * How long a condition may take to come true. Generous: a CI machine shared with other builds once needed more
     * than 3 s to pass 61 messages; a condition that holds returns at once.
     */
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** How long the publisher's acknowledgements must stand still to count as held (a starved machine pauses too). */
    private static final Duration QUIET = Duration.ofSeconds(1);

    @Test
    void stalledSubscriberPausesQos1PublishersWithoutLossAndGetsEveryAcknowledgedMessageLater() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxQueuedMessages(QUEUE).maxInFlight(IN_FLIGHT));
             RawMqttClient slow = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "slow")) {
            slow.subscribe(1, "load/#", 1);
            slow.expect(MqttMessageType.SUBACK, Packets.WAIT);
            // From here on the slow subscriber neither reads nor acknowledges.

            Set<String> fastReceived = ConcurrentHashMap.newKeySet();
            Mqtt5AsyncClient fast = MqttClient.builder().useMqttVersion5().identifier("fast")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            fast.connect().join();
            fast.subscribeWith().topicFilter("load/#").qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> fastReceived.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                    .send().join();
            fast.subscribeWith().topicFilter("other/#").qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> fastReceived.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                    .send().join();

            Mqtt5AsyncClient publisher = MqttClient.builder().useMqttVersion5().identifier("publisher")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            publisher.connect().join();
            AtomicInteger acknowledged = new AtomicInteger();
            List<CompletableFuture<Mqtt5PublishResult>> results = publishInBackground(publisher, MESSAGES,
                    i -> "load/" + (i % 4), acknowledged);

            Await.until(PATIENCE, "a paused publisher", () -> broker.broker().stats(),
                    s -> s.publishersPaused() > 0);
            // Let the flow settle: the publisher stops once its window is full of unacknowledged messages.
            awaitStable(acknowledged, QUIET, PATIENCE);
            BrokerStats stalled = broker.broker().stats();
            int acked = acknowledged.get();
            assertTrue(acked < MESSAGES, "PUBACKs must be held while the subscriber is stalled; all "
                    + MESSAGES + " were acknowledged");
            long outstanding = stalled.messagesReceived() - acked;
            assertTrue(outstanding <= IN_FLIGHT, "the publisher has at most its window (" + IN_FLIGHT
                    + ") unacknowledged: " + outstanding + " " + stalled);
            assertTrue(stalled.queued() <= QUEUE + IN_FLIGHT + 10,
                    "memory stays bounded: queued " + stalled.queued() + " " + stalled);
            assertEquals(0, stalled.droppedQos0() + stalled.droppedQueueFull(), "nothing dropped: " + stalled);

            // The fast subscriber got everything the broker took in so far, and is served on other topics.
            Await.until(PATIENCE, "the fast subscriber to have every accepted message",
                    fastReceived::size, n -> n >= stalled.messagesReceived());
            Mqtt5BlockingClient other = MqttClient.builder().useMqttVersion5().identifier("other-publisher")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            other.connect();
            other.publishWith().topic("other/x").qos(MqttQos.AT_LEAST_ONCE).payload("unrelated".getBytes()).send();
            Await.until(PATIENCE, "the fast subscriber to get an unrelated message meanwhile",
                    () -> fastReceived.contains("unrelated"));
            other.disconnect();

            // The slow subscriber reads again and acknowledges: every message arrives exactly once.
            Set<String> slowReceived = new HashSet<>();
            int duplicates = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (slowReceived.size() < MESSAGES && System.nanoTime() < deadline) {
                MqttMessage next = slow.next(Duration.ofMillis(200));
                if (next == null) {
                    continue;
                }
                if (next.fixedHeader().messageType() == MqttMessageType.PUBLISH) {
                    int packetId = RawMqttClient.packetId(next);
                    if (!slowReceived.add(Packets.payloadAndRelease(next))) {
                        duplicates++;
                    }
                    slow.ack(MqttMessageType.PUBACK, packetId);
                } else {
                    io.netty.util.ReferenceCountUtil.release(next);
                }
            }
            assertEquals(MESSAGES, slowReceived.size(), "every acknowledged message reaches the slow subscriber");
            assertEquals(0, duplicates, "no duplicates for a subscriber that stayed connected");
            all(results, MESSAGES).get(5, TimeUnit.SECONDS);
            for (CompletableFuture<Mqtt5PublishResult> result : List.copyOf(results)) {
                assertTrue(result.join().getError().isEmpty(), "publish failed: " + result.join());
            }
            Await.until(PATIENCE, "every message at the fast subscriber", fastReceived::size,
                    n -> n == MESSAGES + 1);
            Await.until(PATIENCE, "publishers resumed", () -> broker.broker().stats(),
                    s -> s.publishersPaused() == 0 && s.queued() == 0);
            publisher.disconnect().join();
            fast.disconnect().join();
        }
    }

    @Test
    void hivemqSubscriberWithheldManualAcksPausesPublisherUntilItAcknowledges() throws Exception {
        int messages = 300;
        try (RunningBroker broker = RunningBroker.start(c -> c.maxQueuedMessages(QUEUE).maxInFlight(IN_FLIGHT))) {
            List<com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish> withheld =
                    java.util.Collections.synchronizedList(new ArrayList<>());
            Set<String> payloads = ConcurrentHashMap.newKeySet();
            AtomicInteger deliveries = new AtomicInteger();
            Mqtt5AsyncClient manual = MqttClient.builder().useMqttVersion5().identifier("manual")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            manual.connect().join();
            manual.subscribeWith().topicFilter("manual/#").qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> {
                        deliveries.incrementAndGet();
                        payloads.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
                        withheld.add(p);
                    })
                    .manualAcknowledgement(true)
                    .send().join();
            Mqtt5AsyncClient publisher = MqttClient.builder().useMqttVersion5().identifier("publisher")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            publisher.connect().join();
            AtomicInteger acknowledged = new AtomicInteger();
            List<CompletableFuture<Mqtt5PublishResult>> results = publishInBackground(publisher, messages,
                    i -> "manual/t", acknowledged);
            Await.until(PATIENCE, "a paused publisher", () -> broker.broker().stats(),
                    s -> s.publishersPaused() > 0);
            awaitStable(acknowledged, QUIET, PATIENCE);
            assertTrue(acknowledged.get() < messages, "PUBACKs are held while the subscriber withholds its own");
            assertTrue(deliveries.get() <= IN_FLIGHT, "no more than the in-flight window is sent unacknowledged: "
                    + deliveries.get());

            // Acknowledge as messages come, until all arrived.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (payloads.size() < messages && System.nanoTime() < deadline) {
                List<com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish> batch;
                synchronized (withheld) {
                    batch = new ArrayList<>(withheld);
                    withheld.clear();
                }
                batch.forEach(com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish::acknowledge);
                Await.sleep(5);
            }
            synchronized (withheld) {
                withheld.forEach(com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish::acknowledge);
            }
            assertEquals(messages, payloads.size(), "every message arrives");
            assertEquals(messages, deliveries.get(), "and none twice");
            all(results, messages).get(5, TimeUnit.SECONDS);
            publisher.disconnect().join();
            manual.disconnect().join();
        }
    }

    /**
     * Publishes {@code count} QoS 1 messages ("m0", "m1", ...) from a thread of its own: the HiveMQ client
     * blocks the caller of {@code send()} once its own outgoing buffer is full, which is the flow control
     * this test wants to see, so the test thread must not be that caller. The list fills as sends return.
     */
    static List<CompletableFuture<Mqtt5PublishResult>> publishInBackground(Mqtt5AsyncClient publisher, int count,
            java.util.function.IntFunction<String> topic, AtomicInteger acknowledged) {
        List<CompletableFuture<Mqtt5PublishResult>> results = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread thread = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                results.add(publisher.publishWith().topic(topic.apply(i)).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send()
                        .whenComplete((r, e) -> acknowledged.incrementAndGet()));
            }
        }, "test-publisher");
        thread.setDaemon(true);
        thread.start();
        return results;
    }

    /** Every future of {@code results}, once all {@code count} were created. */
    static CompletableFuture<Void> all(List<CompletableFuture<Mqtt5PublishResult>> results, int count) {
        Await.until(Duration.ofSeconds(5), "all publishes handed to the client", () -> results.size() == count);
        synchronized (results) {
            return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]));
        }
    }

    /** Waits until {@code counter} has not changed for {@code quiet}. */
    static void awaitStable(AtomicInteger counter, Duration quiet, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = counter.get();
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Await.sleep(20);
            int now = counter.get();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= quiet.toNanos()) {
                return;
            }
        }
        throw new AssertionError("counter kept moving for " + timeout.toMillis() + " ms: " + counter.get());
    }
}
