package io.tributary.broker.pubsub;

import static io.tributary.broker.pubsub.Raw.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttMessageType;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Overlapping subscriptions of one client, Subscription Identifiers and re-subscribing (sections 3.3.4, 3.8.4). */
class OverlappingSubscriptionTest {

    @Test
    void overlappingSubscriptionsGiveOneCopyAtTheHighestQosWithAllSubscriptionIdentifiers() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "overlap", true, null)) {
            assertEquals(0, Raw.subscribe(sub, 1, 1, Raw.Sub.of("o/#", 0))[0]);
            assertEquals(2, Raw.subscribe(sub, 2, 2, Raw.Sub.of("o/+", 2))[0]);
            assertEquals(1, Raw.subscribe(sub, 3, 0, Raw.Sub.of("o/x", 1))[0]);
            broker.broker().publish(Message.of("o/x", "hi", QoS.EXACTLY_ONCE, false)).join();

            Raw.Received got = Raw.expectPublish(sub);
            // Delivered respecting the maximum QoS of all matching subscriptions [MQTT-3.3.4-2] ...
            assertEquals(2, got.qos());
            // ... and a single copy carries the identifiers of all matching subscriptions that have one,
            // in any order [MQTT-3.3.4-4].
            assertEquals(Set.of(1, 2), new TreeSet<>(got.subscriptionIds()));
            assertEquals(2, got.subscriptionIds().size());
            sub.ack(MqttMessageType.PUBREC, got.packetId());
            sub.expect(MqttMessageType.PUBREL, Raw.WAIT);
            sub.ack(MqttMessageType.PUBCOMP, got.packetId());
            Raw.expectNothing(sub);
        }
    }

    @Test
    void mqtt311OverlappingSubscriptionsDeliverAtTheHighestGrantedQos() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v3(broker, "overlap3", true);
             RawMqttClient pub = Raw.v3(broker, "pub3", true)) {
            Raw.subscribeOk(sub, 1, "o/#", 0);
            Raw.subscribeOk(sub, 2, "o/+", 1);
            pub.publish("o/y", bytes("hi"), 1, false, 1, false, null);
            pub.expect(MqttMessageType.PUBACK, Raw.WAIT);
            // The Server MUST deliver respecting the maximum QoS of all the matching subscriptions
            // [MQTT-3.3.5-1 (3.1.1)]; this broker sends a single copy.
            Raw.Received got = Raw.expectPublish(sub);
            assertEquals(1, got.qos());
            sub.ack(MqttMessageType.PUBACK, got.packetId());
            Raw.expectNothing(sub);
        }
    }

    @Test
    void deliveryCarriesTheSubscriptionIdentifierOfTheMatchingSubscription() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "ids", true, null)) {
            Raw.subscribe(sub, 1, 268_435_455, Raw.Sub.of("big/#", 0));
            Raw.subscribe(sub, 2, 0, Raw.Sub.of("none/#", 0));
            broker.broker().publish(Message.of("big/1", "a", QoS.AT_MOST_ONCE, false)).join();
            broker.broker().publish(Message.of("none/1", "b", QoS.AT_MOST_ONCE, false)).join();
            // The largest identifier (a four-byte variable byte integer) survives the trip [MQTT-3.3.4-3].
            assertEquals(List.of(268_435_455), Raw.expectPublish(sub).subscriptionIds());
            // A subscription without an identifier gives a PUBLISH without one.
            assertEquals(List.of(), Raw.expectPublish(sub).subscriptionIds());
        }
    }

    @Test
    void retainedMessageSentOnSubscribeCarriesTheSubscriptionIdentifier() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "retid", true, null)) {
            broker.broker().publish(Message.of("keep/1", "kept", QoS.AT_LEAST_ONCE, true)).join();
            Raw.subscribe(sub, 1, 9, Raw.Sub.of("keep/#", 1));
            Raw.Received got = Raw.expectPublish(sub);
            assertTrue(got.retain());
            assertEquals(List.of(9), got.subscriptionIds());
        }
    }

    @Test
    void resubscribingToTheSameFilterReplacesTheSubscription() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "resub", true, null)) {
            Raw.subscribe(sub, 1, 1, Raw.Sub.of("r/#", 0));
            Raw.subscribe(sub, 2, 2, Raw.Sub.of("r/#", 2));
            broker.broker().publish(Message.of("r/1", "once", QoS.EXACTLY_ONCE, false)).join();
            // The new subscription replaces the old one [MQTT-3.8.4-3]: one copy, with the new QoS and identifier.
            Raw.Received got = Raw.expectPublish(sub);
            assertEquals(2, got.qos());
            assertEquals(List.of(2), got.subscriptionIds());
            Raw.expectNothing(sub);
        }
    }

    @Test
    void mqtt311ResubscribingReplacesTheSubscriptionAndItsQos() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v3(broker, "resub3", true)) {
            Raw.subscribeOk(sub, 1, "r3/+", 2);
            Raw.subscribeOk(sub, 2, "r3/+", 0);
            broker.broker().publish(Message.of("r3/x", "once", QoS.EXACTLY_ONCE, false)).join();
            Raw.Received got = Raw.expectPublish(sub);
            assertEquals(0, got.qos(), "the replacing subscription's QoS applies [MQTT-3.8.4-3]");
            Raw.expectNothing(sub);
        }
    }
}
