package io.tributary.broker.badinput;

import static io.tributary.broker.badinput.BadInputScenario.assertOnlyOffenderDisconnected;
import static io.tributary.broker.testsupport.Packets.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.broker.testsupport.Packets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * maxPacketSize(1024): the broker announces it to MQTT 5 clients as Maximum Packet Size, accepts packets
 * up to that many bytes in total (fixed header included, MQTT 5.0 section 3.1.2.11.4) and disconnects a
 * client that sends a larger one: MQTT 5 with DISCONNECT 0x95 (section 3.2.2.3.6), MQTT 3.1.1 by closing.
 */
class MaximumPacketSizeTest {
    private static final int LIMIT = 1024;
    private static final int PACKET_TOO_LARGE = 0x95;

    /**
     * An MQTT 5 QoS 1 PUBLISH to "big" with packet identifier 1 that is {@code total} bytes long in all
     * (for totals whose remaining length needs two bytes).
     */
    static byte[] qos1Publish5OfTotalSize(int total) {
        int remaining = total - 3;                // 1 byte of type/flags + 2 bytes of remaining length
        int payload = remaining - 2 - 3 - 2 - 1;  // topic length, "big", packet identifier, property length
        byte[] filler = new byte[payload];
        Arrays.fill(filler, (byte) 'p');
        byte[] packet = bytes(
                0x32,                                // PUBLISH, QoS 1
                (remaining & 0x7F) | 0x80,           // remaining length, low 7 bits, continuation
                remaining >> 7,                      // remaining length, high bits
                0x00, 0x03, "big",                   // topic "big"
                0x00, 0x01,                          // packet identifier 1
                0x00,                                // property length 0
                filler);                             // payload
        assertEquals(total, packet.length, "test packet size");
        return packet;
    }

    /** The MQTT 3.1.1 form of the same packet, without the property length. */
    static byte[] qos1Publish311OfTotalSize(int total) {
        int remaining = total - 3;
        int payload = remaining - 2 - 3 - 2;
        byte[] filler = new byte[payload];
        Arrays.fill(filler, (byte) 'p');
        byte[] packet = bytes(0x32, (remaining & 0x7F) | 0x80, remaining >> 7, 0x00, 0x03, "big", 0x00, 0x01, filler);
        assertEquals(total, packet.length, "test packet size");
        return packet;
    }

    @Test
    void mqtt5ConnackAnnouncesTheMaximumPacketSize() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxPacketSize(LIMIT));
             RawMqttClient client = new RawMqttClient(broker.port())) {
            MqttConnAckMessage ack = (MqttConnAckMessage) client.connect(MqttVersion.MQTT_5, "c", true, null);
            MqttProperties.MqttProperty<?> announced = ack.variableHeader().properties()
                    .getProperty(MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value());
            assertEquals(LIMIT, announced == null ? null : announced.value());
        }
    }

    @Test
    void packetOfExactlyMaxPacketSizeBytesIsAcceptedFromMqtt5Client() throws Exception {
        // The limit counts the whole packet; a client that stays at it is within the rules [MQTT-3.2.2-15].
        try (RunningBroker broker = RunningBroker.start(c -> c.maxPacketSize(LIMIT));
             RawMqttClient client = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "at-limit")) {
            client.sendBytes(qos1Publish5OfTotalSize(LIMIT));
            MqttMessage puback = client.expect(MqttMessageType.PUBACK, Packets.WAIT);
            assertEquals(1, RawMqttClient.packetId(puback));
        }
    }

    @Test
    void packetOfExactlyMaxPacketSizeBytesIsAcceptedFromMqtt311Client() throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxPacketSize(LIMIT));
             RawMqttClient client = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "at-limit")) {
            client.sendBytes(qos1Publish311OfTotalSize(LIMIT));
            MqttMessage puback = client.expect(MqttMessageType.PUBACK, Packets.WAIT);
            assertEquals(1, RawMqttClient.packetId(puback));
        }
    }

    @Test
    void packetOneByteOverTheLimitGetsMqtt5Disconnect0x95() throws Exception {
        assertOnlyOffenderDisconnected(c -> c.maxPacketSize(LIMIT), MqttVersion.MQTT_5,
                qos1Publish5OfTotalSize(LIMIT + 1), PACKET_TOO_LARGE);
    }

    @Test
    void packetFarOverTheLimitGetsMqtt5Disconnect0x95AndOthersAreUnaffected() throws Exception {
        assertOnlyOffenderDisconnected(c -> c.maxPacketSize(LIMIT), MqttVersion.MQTT_5,
                qos1Publish5OfTotalSize(4000), PACKET_TOO_LARGE);
    }

    @Test
    void packetOverTheLimitClosesMqtt311ConnectionAndOthersAreUnaffected() throws Exception {
        assertOnlyOffenderDisconnected(c -> c.maxPacketSize(LIMIT), MqttVersion.MQTT_3_1_1,
                qos1Publish311OfTotalSize(4000), PACKET_TOO_LARGE);
    }
}
