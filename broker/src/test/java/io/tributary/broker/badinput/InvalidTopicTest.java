package io.tributary.broker.badinput;

import static io.tributary.broker.badinput.BadInputScenario.assertOnlyOffenderDisconnected;
import static io.tributary.broker.testsupport.Packets.bytes;

import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;

/**
 * Topic names that break the string rules. Ill-formed UTF-8 and U+0000 make a Malformed Packet
 * [MQTT-1.5.3-1, MQTT-1.5.3-2 (3.1.1); MQTT-1.5.4-1, MQTT-1.5.4-2 (5.0)]; a wildcard in a PUBLISH topic
 * is forbidden [MQTT-3.3.2-2] and MQTT 5 names the reason 0x90 (Topic Name invalid).
 */
class InvalidTopicTest {
    private static final int MALFORMED = 0x81;
    private static final int TOPIC_NAME_INVALID = 0x90;

    /** A QoS 0 MQTT 3.1.1 PUBLISH whose topic is exactly {@code topicBytes}, payload "x". */
    private static byte[] publish311(byte[] topicBytes) {
        return bytes(
                0x30,                           // PUBLISH, QoS 0
                2 + topicBytes.length + 1,      // remaining length
                0x00, topicBytes.length,        // topic length
                topicBytes,                     // topic bytes as given
                "x");                           // payload
    }

    /** A QoS 0 MQTT 5 PUBLISH whose topic is exactly {@code topicBytes}, payload "x". */
    private static byte[] publish5(byte[] topicBytes) {
        return bytes(
                0x30,                           // PUBLISH, QoS 0
                2 + topicBytes.length + 1 + 1,  // remaining length
                0x00, topicBytes.length,        // topic length
                topicBytes,                     // topic bytes as given
                0x00,                           // property length 0
                "x");                           // payload
    }

    private static final byte[] OVERLONG_SLASH = {'a', (byte) 0xC0, (byte) 0xAF};      // "a" + overlong '/'
    private static final byte[] SURROGATE_D800 = {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}; // "a" + U+D800
    private static final byte[] WITH_NUL = {'a', 0x00, 'b'};                          // "a" U+0000 "b"
    private static final byte[] WITH_PLUS = {'a', '/', '+'};                          // "a/+"
    private static final byte[] WITH_HASH = {'a', '/', '#'};                          // "a/#"

    @Test
    void overlongUtf8InTopicClosesMqtt311Connection() throws Exception {
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_3_1_1, publish311(OVERLONG_SLASH), MALFORMED);
    }

    @Test
    void encodedSurrogateInTopicClosesMqtt311Connection() throws Exception {
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_3_1_1, publish311(SURROGATE_D800), MALFORMED);
    }

    @Test
    void overlongUtf8InTopicIsMalformedForMqtt5() throws Exception {
        // [MQTT-1.5.4-1]: "If ... receives an MQTT Control Packet containing ill-formed UTF-8 it is a Malformed Packet".
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_5, publish5(OVERLONG_SLASH), MALFORMED);
    }

    @Test
    void encodedSurrogateInTopicIsMalformedForMqtt5() throws Exception {
        // [MQTT-1.5.4-1]: code points U+D800..U+DFFF must not be encoded.
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_5, publish5(SURROGATE_D800), MALFORMED);
    }

    @Test
    void nulCharacterInTopicClosesMqtt311Connection() throws Exception {
        // [MQTT-1.5.3-2] (3.1.1)
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_3_1_1, publish311(WITH_NUL), MALFORMED);
    }

    @Test
    void nulCharacterInTopicIsMalformedForMqtt5() throws Exception {
        // [MQTT-1.5.4-2]: "If a receiver ... receives an MQTT Control Packet containing U+0000 it is a Malformed Packet".
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_5, publish5(WITH_NUL), MALFORMED);
    }

    @Test
    void plusWildcardInPublishTopicClosesMqtt311Connection() throws Exception {
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_3_1_1, publish311(WITH_PLUS), TOPIC_NAME_INVALID);
    }

    @Test
    void plusWildcardInPublishTopicGetsMqtt5Disconnect0x90() throws Exception {
        // [MQTT-3.3.2-2]; reason 0x90 Topic Name invalid (MQTT 5.0 section 3.14.2.1).
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_5, publish5(WITH_PLUS), TOPIC_NAME_INVALID);
    }

    @Test
    void hashWildcardInPublishTopicGetsMqtt5Disconnect0x90() throws Exception {
        assertOnlyOffenderDisconnected(MqttVersion.MQTT_5, publish5(WITH_HASH), TOPIC_NAME_INVALID);
    }
}
