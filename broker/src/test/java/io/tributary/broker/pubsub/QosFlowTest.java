package io.tributary.broker.pubsub;

import static io.tributary.broker.pubsub.Raw.WAIT;
import static io.tributary.broker.pubsub.Raw.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tributary.testsupport.await.Await;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** QoS 0, 1 and 2 flows in both directions, QoS downgrade and QoS 2 de-duplication, with exact packets. */
class QosFlowTest {

    @Test
    void qos0PublishIsDeliveredAtQos0AndNotAcknowledged() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v3(broker, "sub", true);
             RawMqttClient pub = Raw.v3(broker, "pub", true)) {
            Raw.subscribeOk(sub, 1, "q/0", 2);
            Raw.publish0(pub, "q/0", "zero");
            Raw.Received got = Raw.expectPublish(sub);
            assertEquals(0, got.qos());
            assertEquals("zero", got.text());
            // A QoS 0 PUBLISH has no acknowledgement [MQTT-4.3.1-1].
            Raw.expectNothing(pub);
        }
    }

    @Test
    void qos1PublishIsAcknowledgedWithPubackAndForwardedAtQos1() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v3(broker, "sub", true);
             RawMqttClient pub = Raw.v3(broker, "pub", true)) {
            Raw.subscribeOk(sub, 1, "q/1", 1);
            pub.publish("q/1", bytes("one"), 1, false, 42, false, null);
            // PUBACK carries the packet identifier of the PUBLISH [MQTT-2.3.1-6 (3.1.1), MQTT-4.3.2-4 (5.0)].
            MqttMessage puback = pub.expect(MqttMessageType.PUBACK, WAIT);
            assertEquals(42, RawMqttClient.packetId(puback));

            Raw.Received got = Raw.expectPublish(sub);
            assertEquals(1, got.qos());
            assertNotEquals(0, got.packetId(), "a QoS 1 PUBLISH has a non-zero packet identifier [MQTT-2.3.1-1]");
            assertFalse(got.dup());
            sub.ack(MqttMessageType.PUBACK, got.packetId());
            Await.until(WAIT, "the PUBACK completes the outbound QoS 1 flow",
                    () -> broker.broker().stats().inFlight() == 0);
        }
    }

    @Test
    void inboundQos2FlowIsPubrecThenPubcompAfterPubrel() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v3(broker, "sub", true);
             RawMqttClient pub = Raw.v3(broker, "pub", true)) {
            Raw.subscribeOk(sub, 1, "q/2", 0);
            pub.publish("q/2", bytes("two"), 2, false, 7, false, null);
            // The receiver answers a QoS 2 PUBLISH with PUBREC [MQTT-4.3.3-8] ...
            MqttMessage pubrec = pub.expect(MqttMessageType.PUBREC, WAIT);
            assertEquals(7, RawMqttClient.packetId(pubrec));
            pub.ack(MqttMessageType.PUBREL, 7);
            // ... and PUBREL with PUBCOMP [MQTT-4.3.3-10].
            MqttMessage pubcomp = pub.expect(MqttMessageType.PUBCOMP, WAIT);
            assertEquals(7, RawMqttClient.packetId(pubcomp));

            Raw.Received got = Raw.expectPublish(sub);
            assertEquals("two", got.text());
            assertEquals(0, got.qos(), "downgraded to the granted QoS 0");
        }
    }

    @Test
    void outboundQos2FlowIsPublishPubrecPubrelPubcomp() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v3(broker, "sub", true);
             RawMqttClient pub = Raw.v3(broker, "pub", true)) {
            Raw.subscribeOk(sub, 1, "q/2", 2);
            pub.publish("q/2", bytes("two"), 2, false, 3, false, null);
            pub.expect(MqttMessageType.PUBREC, WAIT);

            Raw.Received got = Raw.expectPublish(sub);
            assertEquals(2, got.qos());
            assertNotEquals(0, got.packetId());
            sub.ack(MqttMessageType.PUBREC, got.packetId());
            // The sender answers PUBREC with PUBREL, whose fixed header has QoS 1 [MQTT-4.3.3-4, MQTT-3.6.1-1].
            MqttMessage pubrel = sub.expect(MqttMessageType.PUBREL, WAIT);
            assertEquals(got.packetId(), RawMqttClient.packetId(pubrel));
            assertEquals(MqttQoS.AT_LEAST_ONCE, pubrel.fixedHeader().qosLevel());
            assertEquals(1, broker.broker().stats().inFlight(), "still in flight until PUBCOMP");
            sub.ack(MqttMessageType.PUBCOMP, got.packetId());
            Await.until(WAIT, "nothing in flight", () -> broker.broker().stats().inFlight() == 0);
            Raw.expectNothing(sub);
        }
    }

    @Test
    void deliveryQosIsTheMinimumOfPublishedAndGrantedQos() throws Exception {
        // The QoS sent to a subscriber is the minimum of the published QoS and the granted QoS
        // [MQTT-3.8.4-8 (5.0); 3.1.1 section 3.8.4].
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub0 = Raw.v3(broker, "sub0", true);
             RawMqttClient sub1 = Raw.v3(broker, "sub1", true);
             RawMqttClient sub2 = Raw.v3(broker, "sub2", true);
             RawMqttClient pub = Raw.v3(broker, "pub", true)) {
            Raw.subscribeOk(sub0, 1, "d/#", 0);
            Raw.subscribeOk(sub1, 1, "d/#", 1);
            Raw.subscribeOk(sub2, 1, "d/#", 2);
            int packetId = 1;
            for (int publishedQos = 0; publishedQos <= 2; publishedQos++) {
                pub.publish("d/" + publishedQos, bytes("x"), publishedQos, false, publishedQos == 0 ? 0 : packetId,
                        false, null);
                if (publishedQos == 1) {
                    pub.expect(MqttMessageType.PUBACK, WAIT);
                } else if (publishedQos == 2) {
                    pub.expect(MqttMessageType.PUBREC, WAIT);
                    pub.ack(MqttMessageType.PUBREL, packetId);
                    pub.expect(MqttMessageType.PUBCOMP, WAIT);
                }
                packetId++;
                RawMqttClient[] subs = {sub0, sub1, sub2};
                for (int granted = 0; granted <= 2; granted++) {
                    Raw.Received got = Raw.expectPublish(subs[granted]);
                    assertEquals(Math.min(publishedQos, granted), got.qos(),
                            "published at " + publishedQos + ", granted " + granted);
                    if (got.qos() == 1) {
                        subs[granted].ack(MqttMessageType.PUBACK, got.packetId());
                    } else if (got.qos() == 2) {
                        subs[granted].ack(MqttMessageType.PUBREC, got.packetId());
                        subs[granted].expect(MqttMessageType.PUBREL, WAIT);
                        subs[granted].ack(MqttMessageType.PUBCOMP, got.packetId());
                    }
                }
            }
        }
    }

    @Test
    void qos2PublishResentWithDupBeforePubrelIsDeliveredOnce() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v3(broker, "sub", true);
             RawMqttClient pub = Raw.v3(broker, "pub", true)) {
            Raw.subscribeOk(sub, 1, "dedup", 0);
            pub.publish("dedup", bytes("once"), 2, false, 11, false, null);
            pub.expect(MqttMessageType.PUBREC, WAIT);
            // Until PUBREL, a PUBLISH with the same packet identifier is acknowledged with PUBREC again and
            // must not cause a duplicate delivery (3.1.1: [MQTT-4.3.3-2]; 5.0: [MQTT-4.3.3-10]).
            pub.publish("dedup", bytes("once"), 2, false, 11, true, null);
            MqttMessage second = pub.expect(MqttMessageType.PUBREC, WAIT);
            assertEquals(11, RawMqttClient.packetId(second));
            pub.ack(MqttMessageType.PUBREL, 11);
            pub.expect(MqttMessageType.PUBCOMP, WAIT);

            assertEquals("once", Raw.expectPublish(sub).text());
            Raw.expectNothing(sub);
        }
    }

    @Test
    void qos2PacketIdentifierIsANewMessageAfterPubrel() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v3(broker, "sub", true);
             RawMqttClient pub = Raw.v3(broker, "pub", true)) {
            Raw.subscribeOk(sub, 1, "reuse", 0);
            pub.publish("reuse", bytes("first"), 2, false, 5, false, null);
            pub.expect(MqttMessageType.PUBREC, WAIT);
            pub.ack(MqttMessageType.PUBREL, 5);
            pub.expect(MqttMessageType.PUBCOMP, WAIT);
            // After PUBCOMP, a PUBLISH with that packet identifier is a new message [MQTT-4.3.3-11 (5.0)].
            pub.publish("reuse", bytes("second"), 2, false, 5, false, null);
            pub.expect(MqttMessageType.PUBREC, WAIT);
            pub.ack(MqttMessageType.PUBREL, 5);
            pub.expect(MqttMessageType.PUBCOMP, WAIT);

            assertEquals("first", Raw.expectPublish(sub).text());
            assertEquals("second", Raw.expectPublish(sub).text());
        }
    }

    @Test
    void mqtt5Qos2FlowCarriesSuccessReasonCodes() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "sub", true, null);
             RawMqttClient pub = Raw.v5(broker, "pub", true, null)) {
            Raw.subscribeOk(sub, 1, "v5/q2", 2);
            pub.publish("v5/q2", bytes("five"), 2, false, 9, false, null);
            MqttMessage pubrec = pub.expect(MqttMessageType.PUBREC, WAIT);
            assertEquals(0, RawMqttClient.reasonCode(pubrec));
            pub.ack(MqttMessageType.PUBREL, 9);
            assertEquals(0, RawMqttClient.reasonCode(pub.expect(MqttMessageType.PUBCOMP, WAIT)));

            Raw.Received got = Raw.expectPublish(sub);
            assertEquals(2, got.qos());
            sub.ack(MqttMessageType.PUBREC, got.packetId());
            assertEquals(got.packetId(), RawMqttClient.packetId(sub.expect(MqttMessageType.PUBREL, WAIT)));
            sub.ack(MqttMessageType.PUBCOMP, got.packetId());
            Await.until(Duration.ofSeconds(3), "nothing in flight", () -> broker.broker().stats().inFlight() == 0);
        }
    }
}
