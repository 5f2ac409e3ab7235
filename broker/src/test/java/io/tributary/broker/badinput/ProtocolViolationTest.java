package io.tributary.broker.badinput;

import static io.tributary.broker.badinput.BadInputScenario.assertOnlyOffenderDisconnected;
import static io.tributary.broker.testsupport.Packets.bytes;

import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;

/**
 * Well-encoded packets that a client must not send: the broker closes only that connection, MQTT 5
 * clients first get DISCONNECT 0x82 (Protocol Error).
 */
class ProtocolViolationTest {
    private static final int PROTOCOL_ERROR = 0x82;

    @Test
    void subscribeWithoutTopicFiltersClosesMqtt311Connection() throws Exception {
        // [MQTT-3.8.3-3] (3.1.1): the payload MUST contain at least one Topic Filter / QoS pair.
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_3_1_1, bytes(
                0x82,                  // SUBSCRIBE, flags 0010
                0x02,                  // remaining length 2
                0x00, 0x01),           // packet identifier 1, and no payload
                PROTOCOL_ERROR);
    }

    @Test
    void subscribeWithoutTopicFiltersGetsMqtt5Disconnect0x82() throws Exception {
        // [MQTT-3.8.3-2] (5.0): "A SUBSCRIBE packet with no Payload is a Protocol Error".
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_5, bytes(
                0x82,                  // SUBSCRIBE, flags 0010
                0x03,                  // remaining length 3
                0x00, 0x01,            // packet identifier 1
                0x00),                 // property length 0, and no payload
                PROTOCOL_ERROR);
    }

    @Test
    void unsubscribeWithoutTopicFiltersGetsMqtt5Disconnect0x82() throws Exception {
        // [MQTT-3.10.3-2]: "An UNSUBSCRIBE packet with no Payload is a Protocol Error".
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_5, bytes(
                0xA2,                  // UNSUBSCRIBE, flags 0010
                0x03,                  // remaining length 3
                0x00, 0x01,            // packet identifier 1
                0x00),                 // property length 0, and no payload
                PROTOCOL_ERROR);
    }

    @Test
    void connackSentByClientClosesMqtt311Connection() throws Exception {
        // CONNACK flows server to client only (3.1.1 table 2.1).
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_3_1_1, bytes(
                0x20,                  // CONNACK
                0x02,                  // remaining length 2
                0x00,                  // acknowledge flags
                0x00),                 // return code: accepted
                PROTOCOL_ERROR);
    }

    @Test
    void connackSentByClientGetsMqtt5Disconnect0x82() throws Exception {
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_5, bytes(
                0x20,                  // CONNACK
                0x03,                  // remaining length 3
                0x00,                  // acknowledge flags
                0x00,                  // reason code: success
                0x00),                 // property length 0
                PROTOCOL_ERROR);
    }

    @Test
    void secondConnectGetsMqtt5Disconnect0x82() throws Exception {
        // [MQTT-3.1.0-2]: a second CONNECT is a Protocol Error.
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_5, bytes(
                0x10,                  // CONNECT
                0x0E,                  // remaining length 14
                0x00, 0x04, "MQTT",    // protocol name
                0x05,                  // protocol level 5
                0x02,                  // connect flags: clean start
                0x00, 0x3C,            // keep alive 60 s
                0x00,                  // property length 0
                0x00, 0x01, "c"),      // client identifier "c"
                PROTOCOL_ERROR);
    }

    @Test
    void authWithoutAuthenticationMethodGetsMqtt5Disconnect0x82() throws Exception {
        // MQTT 5.0 section 4.12: without an Authentication Method in CONNECT the client must not send AUTH;
        // doing so is a Protocol Error.
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_5, bytes(
                0xF0,                  // AUTH
                0x02,                  // remaining length 2
                0x18,                  // reason code 0x18: continue authentication
                0x00),                 // property length 0
                PROTOCOL_ERROR);
    }

    @Test
    void authPacketTypeClosesMqtt311Connection() throws Exception {
        // Type 15 is reserved in MQTT 3.1.1 (table 2.1).
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_3_1_1, bytes(
                0xF0,                  // type 15
                0x00),                 // remaining length 0
                PROTOCOL_ERROR);
    }
}
