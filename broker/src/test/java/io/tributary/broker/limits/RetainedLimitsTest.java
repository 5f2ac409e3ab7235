package io.tributary.broker.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.broker.testsupport.Bystander;
import io.tributary.broker.testsupport.Packets;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code maxRetainedMessages} and {@code maxRetainedBytes}: a retained PUBLISH that would take the store past either
 * is refused whole with PUBACK 0x97 (Quota exceeded) when the client can be told (MQTT 5, QoS 1 and 2); otherwise
 * (QoS 0, MQTT 3.1.1) it is delivered and only not retained. Replacing or clearing a retained message always works.
 * And the retained messages a SUBSCRIBE brings go through the session's queue bound.
 */
class RetainedLimitsTest {
    private static final int QUOTA_EXCEEDED = 0x97;
    private static final byte[] X = "x".getBytes(StandardCharsets.UTF_8);

    @Test
    void mqtt5RetainedPublishBeyondTheCountIsRefusedWith0x97AndNotDelivered() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxRetainedMessages(2));
             Bystander bystander = new Bystander(broker.port(), "bystander");
             RawMqttClient watcher = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "watcher");
             RawMqttClient client = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "publisher")) {
            watcher.subscribe(1, "t/#", 0);
            ReferenceCountUtil.release(watcher.expect(MqttMessageType.SUBACK, Packets.WAIT));
            assertEquals(0, publishRetained(client, "t/1", 1));
            assertEquals(0, publishRetained(client, "t/2", 2));
            assertEquals(QUOTA_EXCEEDED, publishRetained(client, "t/3", 3));
            // Replacing one is always allowed, and so is clearing one; then there is room again.
            assertEquals(0, publishRetained(client, "t/1", 4));
            client.publish("t/2", new byte[0], 1, true, 5, false, null);
            assertEquals(0, RawMqttClient.reasonCode(client.expect(MqttMessageType.PUBACK, Packets.WAIT)));
            assertEquals(0, publishRetained(client, "t/3", 6));

            // The watcher got everything but the refused publish, in order.
            List<String> seen = new ArrayList<>();
            MqttMessage next;
            while ((next = watcher.next(Duration.ofMillis(500))) != null) {
                seen.add(((MqttPublishMessage) next).variableHeader().topicName() + "=" + Packets.payloadAndRelease(next));
            }
            assertEquals(List.of("t/1=x", "t/2=x", "t/1=x", "t/2=", "t/3=x"), seen);
            assertEquals(2, broker.broker().retainedMessages().size());
            assertEquals(1, broker.broker().stats().retainedRefused());
            bystander.assertStillServed();
        }
    }

    @Test
    void mqtt311RetainedPublishBeyondTheBytesIsDeliveredButNotRetained() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxRetainedBytes(100));
             RawMqttClient watcher = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "watcher");
             RawMqttClient client = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "publisher")) {
            watcher.subscribe(1, "big/#", 0);
            ReferenceCountUtil.release(watcher.expect(MqttMessageType.SUBACK, Packets.WAIT));
            byte[] sixty = new byte[60];
            client.publish("big/1", sixty, 1, true, 1, false, null);
            ReferenceCountUtil.release(client.expect(MqttMessageType.PUBACK, Packets.WAIT));
            client.publish("big/2", sixty, 1, true, 2, false, null);
            // MQTT 3.1.1 has no negative acknowledgement: acknowledged and delivered, not retained.
            ReferenceCountUtil.release(client.expect(MqttMessageType.PUBACK, Packets.WAIT));
            assertEquals(2, countPublishes(watcher));
            assertEquals(1, broker.broker().retainedMessages().size());
            assertEquals(1, broker.broker().retained("big/#").size());
            assertEquals(1, broker.broker().stats().retainedRefused());
        }
    }

    @Test
    void mqtt5Qos0RetainedPublishBeyondTheCountIsDeliveredButNotRetained() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxRetainedMessages(1));
             RawMqttClient watcher = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "watcher");
             RawMqttClient client = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "publisher")) {
            watcher.subscribe(1, "q/#", 0);
            ReferenceCountUtil.release(watcher.expect(MqttMessageType.SUBACK, Packets.WAIT));
            client.publish("q/1", X, 0, true, 0, false, null);
            client.publish("q/2", X, 0, true, 0, false, null);
            // A QoS 0 publisher cannot be told: its message goes out, only the retain is dropped.
            assertEquals(2, countPublishes(watcher));
            assertEquals(List.of("q/1"), broker.broker().retained("q/#").stream().map(Message::topic).toList());
            assertEquals(1, broker.broker().stats().retainedRefused());
        }
    }

    @Test
    void retainedMessagesSentOnSubscribeStayWithinTheSessionQueueBound() throws Exception {
        int queue = 20;
        int retained = 2000;
        try (RunningBroker broker = RunningBroker.start(c -> c.maxQueuedMessages(queue));
             Bystander bystander = new Bystander(broker.port(), "bystander");
             RawMqttClient slow = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "slow")) {
            byte[] payload = new byte[8 * 1024];
            for (int i = 0; i < retained; i++) {
                broker.broker().publish(Message.of("many/" + i, payload, QoS.AT_MOST_ONCE, true)).join();
            }
            // 16 MB of retained messages for a subscriber that does not read: the socket buffers take some, the
            // session queue at most its bound, and the rest waits in the store, not in memory per subscriber.
            slow.subscribe(1, "many/#", 0);
            Await.until(Duration.ofSeconds(5), "the session queue to fill", () -> broker.broker().stats().queued(),
                    q -> q >= queue);
            for (int i = 0; i < 20; i++) {
                long queued = broker.broker().stats().queued();
                assertTrue(queued <= queue, "queued " + queued + " > the bound " + queue);
                Thread.sleep(25); // sampled over half a second while the subscriber does not read
            }
            bystander.assertStillServed();
            // Once it reads, every retained message arrives, each once.
            Set<String> topics = new HashSet<>();
            MqttMessage next;
            while (topics.size() < retained && (next = slow.next(Duration.ofSeconds(3))) != null) {
                if (next.fixedHeader().messageType() == MqttMessageType.PUBLISH) {
                    assertTrue(topics.add(((MqttPublishMessage) next).variableHeader()
                            .topicName()), "a retained message came twice");
                }
                ReferenceCountUtil.release(next);
            }
            assertEquals(retained, topics.size());
        }
    }

    private static int publishRetained(RawMqttClient client, String topic, int packetId) throws Exception {
        client.publish(topic, X, 1, true, packetId, false, null);
        return RawMqttClient.reasonCode(client.expect(MqttMessageType.PUBACK, Packets.WAIT));
    }

    private static int countPublishes(RawMqttClient client) throws Exception {
        int count = 0;
        MqttMessage next;
        while ((next = client.next(Duration.ofMillis(500))) != null) {
            if (next.fixedHeader().messageType() == MqttMessageType.PUBLISH) {
                count++;
            }
            ReferenceCountUtil.release(next);
        }
        return count;
    }
}
