package io.tributary.broker.pubsub;

import static io.tributary.broker.pubsub.Raw.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import org.junit.jupiter.api.Test;

/** MQTT 5 Maximum Packet Size in both directions (sections 3.1.2.11.4 and 3.2.2.3.6). */
class MaximumPacketSizeTest {

    @Test
    void connackAdvertisesTheBrokersMaximumPacketSize() throws Exception {
        try (RunningBroker broker = RunningBroker.start(config -> config.maxPacketSize(2048));
             RawMqttClient client = new RawMqttClient(broker.port())) {
            MqttConnAckMessage ack = Raw.connect5(client, "mps", null);
            assertEquals(2048, ack.variableHeader().properties()
                    .getProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value()).value());
        }
    }

    @Test
    void inboundPacketLargerThanTheLimitGetsDisconnect0x95() throws Exception {
        try (RunningBroker broker = RunningBroker.start(config -> config.maxPacketSize(2048));
             RawMqttClient pub = Raw.v5(broker, "big", true, null)) {
            // The Client MUST NOT send packets exceeding the Server's Maximum Packet Size [MQTT-3.2.2-15];
            // one that does gets DISCONNECT 0x95 Packet too large (section 4.13).
            pub.publish("big", new byte[3000], 1, false, 1, false, null);
            assertEquals(0x95, Raw.expectDisconnect(pub));
        }
    }

    @Test
    void inboundPacketOfExactlyTheAdvertisedMaximumIsAccepted() throws Exception {
        try (RunningBroker broker = RunningBroker.start(config -> config.maxPacketSize(2048));
             RawMqttClient sub = Raw.v5(broker, "sub", true, null);
             RawMqttClient pub = Raw.v5(broker, "edge", true, null)) {
            Raw.subscribeOk(sub, 1, "big", 0);
            // Whole packet: 1 (type) + 2 (remaining length 2045) + 2 + 3 (topic "big") + 2 (packet id)
            // + 1 (property length 0) + 2037 (payload) = 2048 bytes, the advertised Maximum Packet Size, which
            // is the largest packet the Server accepts (section 3.2.2.3.6).
            byte[] payload = new byte[2037];
            pub.publish("big", payload, 1, false, 1, false, null);
            assertEquals(0, RawMqttClient.reasonCode(pub.expect(MqttMessageType.PUBACK, WAIT)));
            assertEquals(2037, Raw.expectPublish(sub).payload().length);
        }
    }

    @Test
    void messageLargerThanTheClientsMaximumIsNotSentToItButToOthers() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient small = Raw.v5(broker, "small", true, Raw.intProperties(MqttPropertyType.MAXIMUM_PACKET_SIZE, 200));
             RawMqttClient large = Raw.v5(broker, "large", true, null)) {
            Raw.subscribeOk(small, 1, "mps/#", 1);
            Raw.subscribeOk(large, 1, "mps/#", 1);
            broker.broker().publish(Message.of("mps/x", new byte[500], QoS.AT_LEAST_ONCE, false)).join();
            assertEquals(500, Raw.expectPublish(large).payload().length);
            // The Server MUST NOT send packets exceeding the client's Maximum Packet Size [MQTT-3.1.2-24]; it
            // discards such a message as if it had completed sending it [MQTT-3.1.2-25].
            broker.broker().publish(Message.of("mps/x", "small", QoS.AT_LEAST_ONCE, false)).join();
            Raw.Received next = Raw.expectPublish(small);
            assertEquals("small", next.text(), "the large message was skipped, not queued");
            assertEquals(1, broker.broker().stats().droppedTooLarge());
        }
    }

    @Test
    void messageOfExactlyTheClientsMaximumIsSentAndOneByteMoreIsNot() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "exact", true, Raw.intProperties(MqttPropertyType.MAXIMUM_PACKET_SIZE, 200))) {
            Raw.subscribeOk(sub, 1, "mps/y", 0);
            // 1 + 2 (remaining length 197) + 2 + 5 ("mps/y") + 1 (no properties) + 189 = 200 bytes.
            broker.broker().publish(Message.of("mps/y", new byte[189], QoS.AT_MOST_ONCE, false)).join();
            broker.broker().publish(Message.of("mps/y", new byte[190], QoS.AT_MOST_ONCE, false)).join();
            broker.broker().publish(Message.of("mps/y", "end", QoS.AT_MOST_ONCE, false)).join();
            Raw.Received fits = Raw.expectPublish(sub);
            assertEquals(189, fits.payload().length);
            assertEquals(200, Raw.encodedSize(fits));
            assertEquals("end", Raw.expectPublish(sub).text());
            assertEquals(1, broker.broker().stats().droppedTooLarge());
        }
    }

    @Test
    void topicAliasIsCountedAgainstTheClientsMaximumPacketSize() throws Exception {
        MqttProperties connect = Raw.intProperties(MqttPropertyType.MAXIMUM_PACKET_SIZE, 200);
        connect.add(new MqttProperties.IntegerProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), 10));
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "alias-size", true, connect)) {
            Raw.subscribeOk(sub, 1, "mps/z", 0);
            // 200 bytes without a Topic Alias; with one (3 bytes) it would be 203.
            broker.broker().publish(Message.of("mps/z", new byte[189], QoS.AT_MOST_ONCE, false)).join();
            broker.broker().publish(Message.of("mps/z", "end", QoS.AT_MOST_ONCE, false)).join();
            Raw.Received first = Raw.expectPublish(sub);
            if (first.payload().length == 189) {
                // The Server MUST NOT send packets exceeding the client's Maximum Packet Size [MQTT-3.1.2-24].
                int size = Raw.encodedSize(first);
                assertTrue(size <= 200, "sent a " + size + "-byte PUBLISH to a client whose maximum is 200");
            } else {
                assertEquals(1, broker.broker().stats().droppedTooLarge());
            }
        }
    }
}
