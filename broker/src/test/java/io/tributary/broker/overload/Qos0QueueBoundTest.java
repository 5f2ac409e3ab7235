package io.tributary.broker.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.broker.BrokerStats;
import io.tributary.broker.SlowSubscribers;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import io.tributary.broker.testsupport.Packets;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * QoS 0 messages for a subscriber that does not read: by default their publisher is read no faster than the
 * subscriber takes them, and nothing is dropped; with {@code qos0-when-full: drop} they are dropped beyond
 * maxQueuedMessages, and counted in stats().droppedQos0(), the queue stays bounded and the publisher is not held.
 */
class Qos0QueueBoundTest {
    private static final int QUEUE = 100;
    private static final int MESSAGES = 600;
    private static final int PAYLOAD = 16 * 1024; // 600 x 16 KiB overflows the socket buffers

    @Test
    void qos0BeyondQueueBoundIsDroppedAndCountedWhileEverythingElseArrives() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxQueuedMessages(QUEUE)
                .slowSubscribers(new SlowSubscribers(SlowSubscribers.Qos0WhenFull.DROP, Duration.ofSeconds(30))));
             RawMqttClient slow = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "slow")) {
            Mqtt5AsyncClient publisher = publisherAfterSubscribing(broker, slow);
            AtomicLong maxQueued = new AtomicLong();
            CompletableFuture<?>[] sent = flood(publisher,
                    () -> maxQueued.accumulateAndGet(broker.broker().stats().queued(), Math::max));
            CompletableFuture.allOf(sent).get(5, TimeUnit.SECONDS);
            Await.until(Duration.ofSeconds(5), "the broker to take every publish in",
                    () -> broker.broker().stats(), s -> s.messagesReceived() >= MESSAGES);
            BrokerStats full = broker.broker().stats();
            maxQueued.accumulateAndGet(full.queued(), Math::max);
            assertTrue(full.droppedQos0() > 0, "QoS 0 beyond the queue bound is dropped and counted: " + full);
            assertTrue(maxQueued.get() <= QUEUE, "the queue never grows past its bound: " + maxQueued.get());
            assertEquals(0, full.publishersPaused(), "QoS 0 publishers are not paused: " + full);

            Set<Integer> received = new HashSet<>();
            int lastSeen = -1;
            boolean inOrder = true;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.size() + broker.broker().stats().droppedQos0() < MESSAGES && System.nanoTime() < deadline) {
                MqttMessage next = slow.next(Duration.ofMillis(200));
                if (next == null) {
                    continue;
                }
                if (next.fixedHeader().messageType() == MqttMessageType.PUBLISH) {
                    int sequence = ((io.netty.handler.codec.mqtt.MqttPublishMessage) next).payload().getInt(0);
                    inOrder &= sequence > lastSeen;
                    lastSeen = sequence;
                    received.add(sequence);
                }
                io.netty.util.ReferenceCountUtil.release(next);
            }
            BrokerStats after = broker.broker().stats();
            assertEquals(MESSAGES, received.size() + after.droppedQos0(),
                    "every QoS 0 message is either delivered or counted as dropped: " + after);
            assertTrue(inOrder, "delivered in publish order [MQTT-4.6.0-6]");
            publisher.disconnect().join();
        }
    }

    @Test
    void qos0PublisherWaitsForASlowSubscriberAndNothingIsDropped() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxQueuedMessages(QUEUE));
             RawMqttClient slow = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "slow")) {
            Mqtt5AsyncClient publisher = publisherAfterSubscribing(broker, slow);
            AtomicLong maxQueued = new AtomicLong();
            CompletableFuture<?>[] sent = flood(publisher, () -> { });
            Await.until(Duration.ofSeconds(10), "the publisher to be paused for the subscriber that does not read",
                    () -> broker.broker().stats(), s -> s.publishersPaused() == 1);

            // The subscriber reads now, slowly at first: every message arrives, in order.
            Thread.sleep(200);
            int next = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (next < MESSAGES && System.nanoTime() < deadline) {
                maxQueued.accumulateAndGet(broker.broker().stats().queued(), Math::max);
                MqttMessage message = slow.next(Duration.ofMillis(200));
                if (message == null) {
                    continue;
                }
                if (message.fixedHeader().messageType() == MqttMessageType.PUBLISH) {
                    assertEquals(next, ((io.netty.handler.codec.mqtt.MqttPublishMessage) message).payload().getInt(0),
                            "delivered in publish order, none missing");
                    next++;
                }
                io.netty.util.ReferenceCountUtil.release(message);
            }
            CompletableFuture.allOf(sent).get(10, TimeUnit.SECONDS);
            BrokerStats after = broker.broker().stats();
            assertEquals(MESSAGES, next, "every QoS 0 message arrives: " + after);
            assertEquals(0, after.droppedQos0(), "nothing is dropped: " + after);
            // Past the bound by what one read of the publisher's socket held at most, far from the whole flood.
            assertTrue(maxQueued.get() < MESSAGES / 2, "queued at most " + maxQueued.get());
            publisher.disconnect().join();
        }
    }

    /** Subscribes {@code slow} to {@code bulk/#} at QoS 0, then connects the publisher. */
    private static Mqtt5AsyncClient publisherAfterSubscribing(RunningBroker broker, RawMqttClient slow)
            throws Exception {
        slow.subscribe(1, "bulk/#", 0);
        slow.expect(MqttMessageType.SUBACK, Packets.WAIT);
        Mqtt5AsyncClient publisher = MqttClient.builder().useMqttVersion5().identifier("bulk-publisher")
                .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
        publisher.connect().join();
        return publisher;
    }

    /** Publishes the numbered QoS 0 messages as fast as the client takes them, running {@code each} after each. */
    private static CompletableFuture<?>[] flood(Mqtt5AsyncClient publisher, Runnable each) {
        CompletableFuture<?>[] sent = new CompletableFuture<?>[MESSAGES];
        for (int i = 0; i < MESSAGES; i++) {
            byte[] payload = ByteBuffer.allocate(PAYLOAD).putInt(i).array();
            sent[i] = publisher.publishWith().topic("bulk/x").qos(MqttQos.AT_MOST_ONCE).payload(payload).send();
            each.run();
        }
        return sent;
    }
}
