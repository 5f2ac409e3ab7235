package io.tributary.broker.badinput;

import static io.tributary.broker.badinput.BadInputScenario.assertOnlyOffenderDisconnected;
import static io.tributary.broker.testsupport.Packets.bytes;

import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;

/**
 * Packets that break the encoding rules: the broker closes only the connection that sent them, after a
 * DISCONNECT 0x81 (Malformed Packet) for MQTT 5 (MQTT 5.0 section 4.13.1), and silently for MQTT 3.1.1
 * (MQTT 3.1.1 section 4.8: "the Server MUST close the Network Connection").
 */
class MalformedPacketTest {
    private static final int MALFORMED = 0x81;

    /** A PUBLISH whose Remaining Length uses five bytes: at most four are allowed (section 2.2.3 / 1.5.5). */
    private static final byte[] FIVE_BYTE_REMAINING_LENGTH = bytes(
            0x30,                          // PUBLISH, QoS 0
            0xFF, 0xFF, 0xFF, 0xFF, 0x01); // remaining length: four continuation bytes and a fifth

    @Test
    void remainingLengthOfFiveBytesClosesOnlyThatMqtt311Connection() throws Exception {
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_3_1_1, FIVE_BYTE_REMAINING_LENGTH, MALFORMED);
    }

    @Test
    void remainingLengthOfFiveBytesGetsMqtt5Disconnect0x81() throws Exception {
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_5, FIVE_BYTE_REMAINING_LENGTH, MALFORMED);
    }

    @Test
    void subscribeWithoutFlags0010ClosesMqtt311Connection() throws Exception {
        // [MQTT-3.8.1-1]: bits 3-0 of SUBSCRIBE's fixed header are 0,0,1,0; anything else is malformed.
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_3_1_1, bytes(
                0x80,               // SUBSCRIBE with flags 0000 instead of 0010
                0x06,               // remaining length 6
                0x00, 0x01,         // packet identifier 1
                0x00, 0x01, "a",    // topic filter "a"
                0x00), MALFORMED);  // requested QoS 0
    }

    @Test
    void subscribeWithoutFlags0010GetsMqtt5Disconnect0x81() throws Exception {
        // [MQTT-3.8.1-1] in MQTT 5 too.
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_5, bytes(
                0x80,               // SUBSCRIBE with flags 0000 instead of 0010
                0x07,               // remaining length 7
                0x00, 0x01,         // packet identifier 1
                0x00,               // property length 0
                0x00, 0x01, "a",    // topic filter "a"
                0x00), MALFORMED);  // subscription options: QoS 0
    }

    @Test
    void publishWithQos3ClosesMqtt311Connection() throws Exception {
        // [MQTT-3.3.1-4]: a PUBLISH must not have both QoS bits set.
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_3_1_1, bytes(
                0x36,               // PUBLISH, QoS bits 11
                0x06,               // remaining length 6
                0x00, 0x01, "a",    // topic "a"
                0x00, 0x01,         // packet identifier 1
                "x"), MALFORMED);   // payload
    }

    @Test
    void publishWithQos3GetsMqtt5Disconnect0x81() throws Exception {
        // [MQTT-3.3.1-4]
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_5, bytes(
                0x36,               // PUBLISH, QoS bits 11
                0x07,               // remaining length 7
                0x00, 0x01, "a",    // topic "a"
                0x00, 0x01,         // packet identifier 1
                0x00,               // property length 0
                "x"), MALFORMED);   // payload
    }

    @Test
    void qos1PublishWithPacketIdentifierZeroClosesMqtt311Connection() throws Exception {
        // [MQTT-2.3.1-1]: a QoS > 0 PUBLISH carries a non-zero packet identifier.
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_3_1_1, bytes(
                0x32,               // PUBLISH, QoS 1
                0x06,               // remaining length 6
                0x00, 0x01, "a",    // topic "a"
                0x00, 0x00,         // packet identifier 0: not allowed
                "x"), MALFORMED);   // payload
    }

    @Test
    void qos1PublishWithPacketIdentifierZeroGetsMqtt5Disconnect0x81() throws Exception {
        // [MQTT-2.2.1-3] (MQTT 5 numbering)
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_5, bytes(
                0x32,               // PUBLISH, QoS 1
                0x07,               // remaining length 7
                0x00, 0x01, "a",    // topic "a"
                0x00, 0x00,         // packet identifier 0: not allowed
                0x00,               // property length 0
                "x"), MALFORMED);   // payload
    }

    @Test
    void reservedPacketTypeZeroClosesMqtt311Connection() throws Exception {
        // Packet type 0 is reserved (MQTT 3.1.1 table 2.1): "Forbidden".
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_3_1_1, bytes(
                0x00,               // type 0, flags 0
                0x00), MALFORMED);  // remaining length 0
    }
}
