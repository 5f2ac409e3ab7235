package io.tributary.broker.pubsub;

import static io.tributary.broker.pubsub.Raw.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttMessageType;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Retained messages: set, replace, clear, and the RETAIN flag on what subscribers get (section 3.3.1.3). */
class RetainedMessageTest {

    private static void retain(RawMqttClient pub, String topic, String payload, int qos, int packetId) throws Exception {
        pub.publish(topic, bytes(payload), qos, true, packetId, false, null);
        if (qos == 1) {
            pub.expect(MqttMessageType.PUBACK, Raw.WAIT);
        }
    }

    @Test
    void retainedMessageIsSentToANewSubscriberWithRetainSet() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient pub = Raw.v3(broker, "pub", true);
             RawMqttClient sub = Raw.v3(broker, "sub", true)) {
            retain(pub, "ret/a", "kept", 1, 1);
            assertEquals(1, broker.broker().retainedMessages().size());
            Raw.subscribeOk(sub, 1, "ret/a", 1);
            // Sent because of a new subscription: RETAIN 1 [MQTT-3.3.1-8 (3.1.1); 5.0 section 3.3.1.3].
            Raw.Received got = Raw.expectPublish(sub);
            assertEquals("kept", got.text());
            assertTrue(got.retain());
            assertEquals(1, got.qos());
        }
    }

    @Test
    void aNewRetainedMessageReplacesThePreviousOne() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient pub = Raw.v3(broker, "pub", true);
             RawMqttClient sub = Raw.v3(broker, "sub", true)) {
            retain(pub, "ret/b", "old", 1, 1);
            retain(pub, "ret/b", "new", 1, 2);
            // The new retained message replaces any existing one for the topic [MQTT-3.3.1-5].
            Raw.subscribeOk(sub, 1, "ret/b", 0);
            assertEquals("new", Raw.expectPublish(sub).text());
            Raw.expectNothing(sub);
        }
    }

    @Test
    void aMessageWithoutRetainNeitherStoresNorReplacesTheRetainedOne() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient pub = Raw.v3(broker, "pub", true);
             RawMqttClient sub = Raw.v3(broker, "sub", true)) {
            retain(pub, "ret/c", "kept", 1, 1);
            pub.publish("ret/c", bytes("passing"), 1, false, 2, false, null);
            pub.expect(MqttMessageType.PUBACK, Raw.WAIT);
            pub.publish("ret/other", bytes("passing"), 1, false, 3, false, null);
            pub.expect(MqttMessageType.PUBACK, Raw.WAIT);
            // RETAIN 0: the Server MUST NOT store it nor remove or replace a retained message [MQTT-3.3.1-12 (3.1.1)].
            Raw.subscribeOk(sub, 1, "ret/#", 0);
            assertEquals("kept", Raw.expectPublish(sub).text());
            Raw.expectNothing(sub);
            assertEquals(1, broker.broker().retainedMessages().size());
        }
    }

    @Test
    void emptyRetainedPayloadClearsTheTopicAndIsDeliveredButNotRetained() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient pub = Raw.v3(broker, "pub", true);
             RawMqttClient current = Raw.v3(broker, "current", true);
             RawMqttClient later = Raw.v3(broker, "later", true)) {
            retain(pub, "ret/d", "kept", 1, 1); // QoS 1: processed before the SUBSCRIBE below, so no race
            Raw.subscribeOk(current, 1, "ret/d", 1);
            assertEquals("kept", Raw.expectPublish(current).text());

            retain(pub, "ret/d", "", 1, 5);
            // The zero-byte retained message is forwarded to current subscribers as a normal message
            // [MQTT-3.3.1-10 (3.1.1)], with RETAIN 0 as for any established subscription [MQTT-3.3.1-9 (3.1.1)] ...
            Raw.Received cleared = Raw.expectPublish(current);
            assertEquals(0, cleared.payload().length);
            assertFalse(cleared.retain());
            // ... it removes the retained message and is not itself retained [MQTT-3.3.1-10, MQTT-3.3.1-11 (3.1.1);
            // MQTT-3.3.1-6, MQTT-3.3.1-7 (5.0)].
            assertEquals(0, broker.broker().retainedMessages().size());
            Raw.subscribeOk(later, 1, "ret/d", 1);
            Raw.expectNothing(later);
        }
    }

    @Test
    void liveDeliveryToAnExistingSubscriberHasRetainCleared() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient pub = Raw.v3(broker, "pub", true);
             RawMqttClient sub = Raw.v3(broker, "sub", true)) {
            Raw.subscribeOk(sub, 1, "ret/e", 0);
            retain(pub, "ret/e", "live", 0, 0);
            // Sent because it matches an established subscription: RETAIN 0 [MQTT-3.3.1-9 (3.1.1)].
            Raw.Received got = Raw.expectPublish(sub);
            assertEquals("live", got.text());
            assertFalse(got.retain());
            assertEquals(1, broker.broker().retainedMessages().size(), "and it was still retained");
        }
    }

    @Test
    void wildcardSubscribeGetsEveryMatchingRetainedMessageAtTheGrantedQos() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v3(broker, "sub", true)) {
            broker.broker().publish(Message.of("ret/w/1", "one", QoS.EXACTLY_ONCE, true)).join();
            broker.broker().publish(Message.of("ret/w/2", "two", QoS.AT_LEAST_ONCE, true)).join();
            broker.broker().publish(Message.of("ret/x", "no", QoS.AT_LEAST_ONCE, true)).join();
            broker.broker().publish(Message.of("$SYS/ret", "sys", QoS.AT_LEAST_ONCE, true)).join();
            Raw.subscribeOk(sub, 1, "ret/w/+", 0);
            Set<String> got = new TreeSet<>();
            for (int i = 0; i < 2; i++) {
                Raw.Received r = Raw.expectPublish(sub);
                assertEquals(0, r.qos(), "retained messages are downgraded to the granted QoS too");
                assertTrue(r.retain());
                got.add(r.text());
            }
            assertEquals(Set.of("one", "two"), got);
            Raw.expectNothing(sub);
        }
    }

    @Test
    void hashSubscriptionGetsNoRetainedDollarTopics() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v3(broker, "sub", true);
             RawMqttClient sys = Raw.v3(broker, "sys", true)) {
            broker.broker().publish(Message.of("$SYS/ret", "sys", QoS.AT_MOST_ONCE, true)).join();
            broker.broker().publish(Message.of("plain", "plain", QoS.AT_MOST_ONCE, true)).join();
            // '#' does not match topics starting with '$' [MQTT-4.7.2-1], for retained messages too.
            Raw.subscribeOk(sub, 1, "#", 0);
            assertEquals("plain", Raw.expectPublish(sub).text());
            Raw.expectNothing(sub);
            Raw.subscribeOk(sys, 1, "$SYS/#", 0);
            assertEquals("sys", Raw.expectPublish(sys).text());
        }
    }
}
