package io.tributary.broker.pubsub;

import static io.tributary.broker.pubsub.Raw.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import org.junit.jupiter.api.Test;

/** The outbound window of unacknowledged QoS 1/2 PUBLISH packets: MQTT 5 Receive Maximum and maxInFlight. */
class InFlightWindowTest {

    private static void publish(RunningBroker broker, String topic, int count, QoS qos) {
        for (int i = 0; i < count; i++) {
            broker.broker().publish(Message.of(topic, "m" + i, qos, false)).join();
        }
    }

    @Test
    void mqtt5ClientGetsNoMoreUnacknowledgedPublishesThanItsReceiveMaximum() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "slow", true, Raw.intProperties(MqttPropertyType.RECEIVE_MAXIMUM, 2))) {
            Raw.subscribeOk(sub, 1, "w/#", 1);
            publish(broker, "w/a", 5, QoS.AT_LEAST_ONCE);
            // The Server MUST NOT send more than Receive Maximum QoS 1 and QoS 2 PUBLISH packets for which
            // it has not received PUBACK, PUBCOMP, or PUBREC with a Reason Code of 128 or greater [MQTT-3.3.4-9].
            Raw.Received first = Raw.expectPublish(sub);
            Raw.Received second = Raw.expectPublish(sub);
            assertEquals("m0", first.text());
            assertEquals("m1", second.text());
            Raw.expectNothing(sub);

            sub.ack(MqttMessageType.PUBACK, first.packetId());
            assertEquals("m2", Raw.expectPublish(sub).text());
            Raw.expectNothing(sub);
            sub.ack(MqttMessageType.PUBACK, second.packetId());
            assertEquals("m3", Raw.expectPublish(sub).text());
            Raw.expectNothing(sub);
        }
    }

    @Test
    void qos2PublishHoldsItsWindowSlotUntilPubcomp() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "slow2", true, Raw.intProperties(MqttPropertyType.RECEIVE_MAXIMUM, 1))) {
            Raw.subscribeOk(sub, 1, "w2", 2);
            publish(broker, "w2", 2, QoS.EXACTLY_ONCE);
            Raw.Received first = Raw.expectPublish(sub);
            Raw.expectNothing(sub);
            sub.ack(MqttMessageType.PUBREC, first.packetId());
            sub.expect(MqttMessageType.PUBREL, WAIT);
            // A successful PUBREC does not free the slot; only PUBCOMP does [MQTT-3.3.4-9].
            Raw.expectNothing(sub);
            sub.ack(MqttMessageType.PUBCOMP, first.packetId());
            assertEquals("m1", Raw.expectPublish(sub).text());
        }
    }

    @Test
    void qos0MessagesAreNotHeldBackByAFullWindow() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "mixed", true, Raw.intProperties(MqttPropertyType.RECEIVE_MAXIMUM, 1))) {
            Raw.subscribeOk(sub, 1, "w0/#", 1);
            publish(broker, "w0/q1", 1, QoS.AT_LEAST_ONCE);
            assertEquals(1, Raw.expectPublish(sub).qos());
            // Receive Maximum limits only QoS 1 and QoS 2 publications (section 3.1.2.11.3).
            broker.broker().publish(Message.of("w0/q0", "zero", QoS.AT_MOST_ONCE, false)).join();
            Raw.Received zero = Raw.expectPublish(sub);
            assertEquals(0, zero.qos());
            assertEquals("zero", zero.text());
        }
    }

    @Test
    void mqtt311ClientGetsAtMostTheConfiguredMaxInFlight() throws Exception {
        try (RunningBroker broker = RunningBroker.start(config -> config.maxInFlight(3));
             RawMqttClient sub = Raw.v3(broker, "slow311", true)) {
            Raw.subscribeOk(sub, 1, "w311", 1);
            publish(broker, "w311", 6, QoS.AT_LEAST_ONCE);
            Raw.Received[] got = new Raw.Received[3];
            for (int i = 0; i < 3; i++) {
                got[i] = Raw.expectPublish(sub);
                assertEquals("m" + i, got[i].text());
            }
            Raw.expectNothing(sub);
            sub.ack(MqttMessageType.PUBACK, got[1].packetId());
            assertEquals("m3", Raw.expectPublish(sub).text());
            Raw.expectNothing(sub);
        }
    }

    @Test
    void mqtt5ReceiveMaximumAboveMaxInFlightIsCappedByMaxInFlight() throws Exception {
        try (RunningBroker broker = RunningBroker.start(config -> config.maxInFlight(2));
             RawMqttClient sub = Raw.v5(broker, "capped", true, Raw.intProperties(MqttPropertyType.RECEIVE_MAXIMUM, 50))) {
            Raw.subscribeOk(sub, 1, "cap", 1);
            publish(broker, "cap", 4, QoS.AT_LEAST_ONCE);
            Raw.expectPublish(sub);
            Raw.expectPublish(sub);
            Raw.expectNothing(sub);
        }
    }
}
