package io.tributary.broker.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.tributary.broker.BrokerStats;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.broker.testsupport.Packets;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many subscribers that stop reading, each far from its own queue's bounds, together meet the broker-wide budget
 * ({@code maxQueuedBytesTotal}): what the broker queues stays near the budget, the publisher's acknowledgements
 * wait instead, and once the subscribers read again every acknowledged message reaches each of them once.
 */
class QueueBudgetOverloadTest {
    private static final int SUBSCRIBERS = 10;
    private static final int MESSAGES = 600;
    /** 600 x 16 KiB per subscriber overflows its socket buffers, and stays under its own 16 MiB queue bound. */
    private static final int PAYLOAD = 16 * 1024;
    private static final long BUDGET = 2L * 1024 * 1024;
    /** The broker's default Receive Maximum: what a publisher may have unacknowledged when it is paused. */
    private static final int IN_FLIGHT = 64;

    @Test
    void slowSubscribersTogetherStayWithinTheBudgetAndLoseNothingAcknowledged() throws Exception {
        List<RawMqttClient> slow = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(SUBSCRIBERS);
        try (RunningBroker broker = RunningBroker.start(c -> c.maxQueuedBytesTotal(BUDGET))) {
            for (int i = 0; i < SUBSCRIBERS; i++) {
                RawMqttClient client = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "slow-" + i);
                slow.add(client);
                client.subscribe(1, "bulk/#", 1);
                client.expect(MqttMessageType.SUBACK, Packets.WAIT);
            }
            // From here on the subscribers neither read nor acknowledge.
            Mqtt5AsyncClient publisher = MqttClient.builder().useMqttVersion5().identifier("bulk-publisher")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            publisher.connect().join();
            AtomicInteger acknowledged = new AtomicInteger();
            List<CompletableFuture<Mqtt5PublishResult>> results = publishInBackground(publisher, acknowledged);

            AtomicLong maxQueuedBytes = new AtomicLong();
            Await.until(Duration.ofSeconds(10), "the publisher to wait for the full budget",
                    () -> sample(broker, maxQueuedBytes), s -> s.publishersPaused() > 0 && s.queueBudgetFull() > 0);
            int ackedBefore;
            do {
                ackedBefore = acknowledged.get();
                for (int i = 0; i < 10; i++) {
                    sample(broker, maxQueuedBytes);
                    Await.sleep(30);
                }
            } while (acknowledged.get() != ackedBefore);
            BrokerStats stalled = broker.broker().stats();
            assertTrue(acknowledged.get() < MESSAGES, "PUBACKs are held while the budget is full: " + stalled);
            // Past the budget by at most what the publisher had in flight when it was paused (the broker's Receive
            // Maximum), counted once per subscriber, plus up to the budget again (sessions holding less than an even
            // part of it may take messages); without the budget all 600 would be taken in.
            long window = (long) IN_FLIGHT * SUBSCRIBERS * (PAYLOAD + "bulk/x".length() + 160);
            assertTrue(maxQueuedBytes.get() <= 2 * BUDGET + window,
                    "queued " + maxQueuedBytes.get() + " bytes in memory, budget " + BUDGET + ": " + stalled);
            assertTrue(stalled.messagesReceived() <= MESSAGES / 2, "the publisher is held: " + stalled);
            assertEquals(0, stalled.droppedQos0() + stalled.droppedQueueFull(), "nothing dropped: " + stalled);

            // The subscribers read again, each on its own thread: every message reaches each of them once.
            List<Future<int[]>> read = new ArrayList<>();
            for (RawMqttClient client : slow) {
                read.add(readers.submit(() -> readAll(client)));
            }
            for (Future<int[]> counts : read) {
                int[] receivedAndDuplicates = counts.get(60, TimeUnit.SECONDS);
                assertEquals(MESSAGES, receivedAndDuplicates[0], "every message reaches every subscriber");
                assertEquals(0, receivedAndDuplicates[1], "none twice");
            }
            SlowSubscriberBackPressureTest.all(results, MESSAGES).get(10, TimeUnit.SECONDS);
            for (CompletableFuture<Mqtt5PublishResult> result : List.copyOf(results)) {
                assertTrue(result.join().getError().isEmpty(), "publish failed: " + result.join());
            }
            Await.until(Duration.ofSeconds(5), "the queues to be empty and the publisher going",
                    () -> broker.broker().stats(),
                    s -> s.queuedMemoryBytes() == 0 && s.publishersPaused() == 0 && s.queued() == 0);
            publisher.disconnect().join();
        } finally {
            readers.shutdownNow();
            for (RawMqttClient client : slow) {
                client.close();
            }
        }
    }

    @Test
    void aClientThatStopsReadingWithMuchOfTheBudgetDoesNotHoldBackSubscribersThatKeepUp() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxQueuedBytesTotal(BUDGET));
             RawMqttClient stuck = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "stuck")) {
            stuck.subscribe(1, "bulk/#", 1);
            stuck.expect(MqttMessageType.SUBACK, Packets.WAIT);
            // From here on it reads nothing, and its topics get no more messages once the budget is full.
            Mqtt5AsyncClient bulk = MqttClient.builder().useMqttVersion5().identifier("bulk-publisher")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            bulk.connect().join();
            publishInBackground(bulk, new AtomicInteger());
            Await.until(Duration.ofSeconds(10), "the stuck client to fill the budget", () -> broker.broker().stats(),
                    s -> s.publishersPaused() > 0 && s.queuedMemoryBytes() >= BUDGET);

            // Another publisher and a subscriber that keeps up, on other topics: the full budget is the stuck
            // client's, so they go on (before, every publisher waited until the stuck client's keep-alive ended).
            Mqtt5AsyncClient live = MqttClient.builder().useMqttVersion5().identifier("live-subscriber")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            live.connect().join();
            AtomicInteger received = new AtomicInteger();
            live.subscribeWith().topicFilter("live/#").qos(MqttQos.AT_LEAST_ONCE)
                    .callback(publish -> received.incrementAndGet()).send().join();
            Mqtt5AsyncClient sensor = MqttClient.builder().useMqttVersion5().identifier("live-publisher")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            sensor.connect().join();
            List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                acks.add(sensor.publishWith().topic("live/x").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(new byte[PAYLOAD]).send());
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            Await.until(Duration.ofSeconds(10), "the live subscriber to get every message", received::get,
                    n -> n == 200);
            assertTrue(broker.broker().stats().publishersPaused() > 0, "the stuck client's publisher still waits");
            sensor.disconnect().join();
            live.disconnect().join();
            bulk.disconnect();
        }
    }

    private static BrokerStats sample(RunningBroker broker, AtomicLong maxQueuedBytes) {
        BrokerStats stats = broker.broker().stats();
        maxQueuedBytes.accumulateAndGet(stats.queuedMemoryBytes(), Math::max);
        return stats;
    }

    /** Reads and acknowledges until every message came: {distinct messages, duplicates}. */
    private static int[] readAll(RawMqttClient client) throws Exception {
        BitSet seen = new BitSet(MESSAGES);
        int duplicates = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (seen.cardinality() < MESSAGES && System.nanoTime() < deadline) {
            MqttMessage next = client.next(Duration.ofMillis(200));
            if (next == null) {
                continue;
            }
            if (next.fixedHeader().messageType() == MqttMessageType.PUBLISH) {
                int sequence = ((MqttPublishMessage) next).payload().getInt(0);
                if (seen.get(sequence)) {
                    duplicates++;
                }
                seen.set(sequence);
                client.ack(MqttMessageType.PUBACK, RawMqttClient.packetId(next));
            }
            ReferenceCountUtil.release(next);
        }
        return new int[] {seen.cardinality(), duplicates};
    }

    /** Publishes the numbered QoS 1 messages from a thread of its own (the client blocks its caller when full). */
    private static List<CompletableFuture<Mqtt5PublishResult>> publishInBackground(Mqtt5AsyncClient publisher,
                                                                                AtomicInteger acknowledged) {
        List<CompletableFuture<Mqtt5PublishResult>> results = Collections.synchronizedList(new ArrayList<>());
        Thread thread = new Thread(() -> {
            for (int i = 0; i < MESSAGES; i++) {
                byte[] payload = ByteBuffer.allocate(PAYLOAD).putInt(i).array();
                results.add(publisher.publishWith().topic("bulk/x").qos(MqttQos.AT_LEAST_ONCE).payload(payload)
                        .send().whenComplete((r, e) -> acknowledged.incrementAndGet()));
            }
        }, "test-publisher");
        thread.setDaemon(true);
        thread.start();
        return results;
    }
}
