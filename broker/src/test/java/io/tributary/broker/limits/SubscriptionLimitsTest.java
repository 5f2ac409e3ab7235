package io.tributary.broker.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.broker.testsupport.Bystander;
import io.tributary.broker.testsupport.Packets;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code maxSubscriptionsPerClient} and {@code maxFiltersPerSubscribe}: a filter past either is refused in its SUBACK
 * (MQTT 5: 0x97 Quota exceeded; MQTT 3.1.1: 0x80) and the connection stays open; a filter repeated in one SUBSCRIBE
 * is handled once, as its last occurrence asks [MQTT-3.8.4-3].
 */
class SubscriptionLimitsTest {
    private static final int QUOTA_EXCEEDED = 0x97;

    @Test
    void filtersBeyondTheSubscriptionCapAreRefusedWithQuotaExceeded() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxSubscriptionsPerClient(3));
             Bystander bystander = new Bystander(broker.port(), "bystander");
             RawMqttClient v5 = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "v5");
             RawMqttClient v3 = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "v3")) {
            List<String> five = List.of("a", "b", "c", "d", "e");
            assertEquals(List.of(1, 1, 1, QUOTA_EXCEEDED, QUOTA_EXCEEDED), subscribe(v5, 1, five));
            assertEquals(List.of(1, 1, 1, 0x80, 0x80), subscribe(v3, 1, five));
            // Subscribing again to a filter held is a replacement, not a new subscription: always allowed.
            assertEquals(List.of(0), subscribe(v5, 0, List.of("b")));
            assertEquals(List.of(QUOTA_EXCEEDED), subscribe(v5, 0, List.of("f")));
            // Unsubscribing makes room.
            v5.send(MqttMessageBuilders.unsubscribe().messageId(9).addTopicFilter("a").build());
            ReferenceCountUtil.release(v5.expect(MqttMessageType.UNSUBACK, Packets.WAIT));
            assertEquals(List.of(1), subscribe(v5, 1, List.of("f")));
            // The connection is still served.
            v5.publish("f", "x".getBytes(), 0, false, 0, false, null);
            assertEquals("x", Packets.payloadAndRelease(v5.expect(MqttMessageType.PUBLISH, Packets.WAIT)));
            bystander.assertStillServed();
        }
    }

    @Test
    void filtersBeyondThePerPacketLimitAreRefusedWithoutBeingSubscribed() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxFiltersPerSubscribe(2));
             Bystander bystander = new Bystander(broker.port(), "bystander");
             RawMqttClient v5 = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "v5");
             RawMqttClient v3 = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "v3")) {
            assertEquals(List.of(1, 1, QUOTA_EXCEEDED, QUOTA_EXCEEDED), subscribe(v5, 1, List.of("a", "b", "c", "d")));
            assertEquals(List.of(1, 1, 0x80), subscribe(v3, 1, List.of("a", "b", "c")));
            // "c" was not subscribed: a message to it does not come; one to "b" does.
            v5.publish("c", "not".getBytes(), 0, false, 0, false, null);
            v5.publish("b", "yes".getBytes(), 0, false, 0, false, null);
            assertEquals("yes", Packets.payloadAndRelease(v5.expect(MqttMessageType.PUBLISH, Packets.WAIT)));
            bystander.assertStillServed();
        }
    }

    @Test
    void aFilterRepeatedInOneSubscribeIsHandledOnceAsItsLastOccurrenceAsks() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxSubscriptionsPerClient(2));
             RawMqttClient client = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "repeats")) {
            broker.broker().publish(Message.of("r/1", "retained", QoS.AT_LEAST_ONCE, true)).join();
            MqttMessageBuilders.SubscribeBuilder subscribe = MqttMessageBuilders.subscribe().messageId(3);
            for (int i = 0; i < 50; i++) {
                subscribe.addSubscription(MqttQoS.AT_MOST_ONCE, "r/#");
            }
            subscribe.addSubscription(MqttQoS.AT_LEAST_ONCE, "r/#");
            subscribe.addSubscription(MqttQoS.AT_MOST_ONCE, "other");
            client.send(subscribe.build());
            MqttSubAckMessage suback = (MqttSubAckMessage) client.expect(MqttMessageType.SUBACK, Packets.WAIT);
            List<Integer> codes = suback.payload().reasonCodes();
            assertEquals(52, codes.size(), "one code per filter [MQTT-3.9.3-1]");
            // The last occurrence (QoS 1) wins for every occurrence; 51 occurrences cost one of the two allowed.
            for (int i = 0; i < 51; i++) {
                assertEquals(1, codes.get(i), "code of occurrence " + i);
            }
            assertEquals(0, codes.get(51), "the second filter fits within the cap of 2");
            // The retained message comes once, at the QoS of the last occurrence.
            MqttMessage first = client.expect(MqttMessageType.PUBLISH, Packets.WAIT);
            assertEquals(MqttQoS.AT_LEAST_ONCE, first.fixedHeader().qosLevel());
            client.ack(MqttMessageType.PUBACK, RawMqttClient.packetId(first));
            assertEquals("retained", Packets.payloadAndRelease(first));
            MqttMessage again = client.next(Duration.ofMillis(500));
            if (again != null) {
                String what = again instanceof MqttPublishMessage ? Packets.payloadAndRelease(again) : again.toString();
                assertNull(what, "the retained message must be sent once");
            }
        }
    }

    static List<Integer> subscribe(RawMqttClient client, int qos, List<String> filters) throws Exception {
        MqttMessageBuilders.SubscribeBuilder subscribe = MqttMessageBuilders.subscribe().messageId(5);
        filters.forEach(f -> subscribe.addSubscription(MqttQoS.valueOf(qos), f));
        client.send(subscribe.build());
        MqttSubAckMessage suback = (MqttSubAckMessage) client.expect(MqttMessageType.SUBACK, Packets.WAIT);
        return suback.payload().reasonCodes();
    }
}
