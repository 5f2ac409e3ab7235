package io.tributary.broker.transport;

import static io.tributary.broker.testsupport.Packets.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker's real pipeline ({@link MqttChannelInitializer}: decoder, encoder, connection) on an embedded
 * channel, checked byte for byte: what goes in and what must come out. Every byte is commented.
 */
class MqttPipelineBytesTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private final EmbeddedBroker broker = new EmbeddedBroker(BrokerConfig.builder()
            .listener(ListenerConfig.tcp("127.0.0.1", 0).named("embedded"))
            .maxPacketSize(1024)
            .build());

    @AfterEach
    void stop() {
        broker.close();
    }

    private static final byte[] CONNECT_311 = bytes(
            0x10,                   // CONNECT
            0x0D,                   // remaining length 13
            0x00, 0x04, "MQTT",     // protocol name
            0x04,                   // protocol level 4: 3.1.1
            0x02,                   // connect flags: clean session
            0x00, 0x3C,             // keep alive 60 s
            0x00, 0x01, "c");       // client identifier "c"

    private static final byte[] CONNECT_5 = bytes(
            0x10,                   // CONNECT
            0x0E,                   // remaining length 14
            0x00, 0x04, "MQTT",     // protocol name
            0x05,                   // protocol level 5
            0x02,                   // connect flags: clean start
            0x00, 0x3C,             // keep alive 60 s
            0x00,                   // property length 0
            0x00, 0x01, "c");       // client identifier "c"

    private static void assertBytes(byte[] expected, byte[] actual) {
        assertEquals(HEX.formatHex(expected), HEX.formatHex(actual));
    }

    @Test
    void mqtt311ConnectIsAnsweredWithAcceptingConnack() throws Exception {
        try (EmbeddedBroker.Connection c = broker.connect()) {
            c.receive(CONNECT_311);
            assertBytes(bytes(
                    0x20,           // CONNACK
                    0x02,           // remaining length 2
                    0x00,           // session present 0 [MQTT-3.2.2-1]: clean session
                    0x00),          // return code 0: accepted
                    c.sent());
        }
    }

    @Test
    void pingreqIsAnsweredWithPingresp() throws Exception {
        try (EmbeddedBroker.Connection c = broker.connect()) {
            c.receive(CONNECT_311);
            c.sent();
            c.receive(bytes(
                    0xC0,           // PINGREQ
                    0x00));         // remaining length 0
            assertBytes(bytes(
                    0xD0,           // PINGRESP [MQTT-3.12.4-1]
                    0x00),          // remaining length 0
                    c.sent());
        }
    }

    @Test
    void subscribeIsAnsweredWithSubackGrantingTheQos() throws Exception {
        try (EmbeddedBroker.Connection c = broker.connect()) {
            c.receive(CONNECT_311);
            c.sent();
            c.receive(bytes(
                    0x82,           // SUBSCRIBE, flags 0010
                    0x06,           // remaining length 6
                    0x00, 0x0A,     // packet identifier 10
                    0x00, 0x01, "a",// topic filter "a"
                    0x01));         // requested QoS 1
            assertBytes(bytes(
                    0x90,           // SUBACK
                    0x03,           // remaining length 3
                    0x00, 0x0A,     // packet identifier 10, as in SUBSCRIBE [MQTT-3.8.4-2]
                    0x01),          // granted QoS 1
                    c.sent());
        }
    }

    @Test
    void qos1PublishIsAcknowledgedAndDeliveredToTheMatchingSubscription() throws Exception {
        try (EmbeddedBroker.Connection c = broker.connect()) {
            c.receive(CONNECT_311);
            c.receive(bytes(0x82, 0x06, 0x00, 0x0A, 0x00, 0x01, "a", 0x01)); // SUBSCRIBE "a" QoS 1
            c.sent();
            c.receive(bytes(
                    0x32,           // PUBLISH, QoS 1
                    0x06,           // remaining length 6
                    0x00, 0x01, "a",// topic "a"
                    0x00, 0x07,     // packet identifier 7
                    "x"));          // payload
            assertBytes(bytes(
                    0x40,           // PUBACK
                    0x02,           // remaining length 2
                    0x00, 0x07,     // packet identifier 7 [MQTT-4.3.2-2]
                    0x32,           // PUBLISH to the subscriber, QoS 1, DUP 0, RETAIN 0
                    0x06,           // remaining length 6
                    0x00, 0x01, "a",// topic "a"
                    0x00, 0x01,     // the broker's own packet identifier 1
                    "x"),           // payload unchanged
                    c.sent());
            c.receive(bytes(0x40, 0x02, 0x00, 0x01)); // PUBACK for the delivery: nothing comes back
            assertBytes(new byte[0], c.sent());
        }
    }

    @Test
    void qos2PublishRunsPubrecPubrelPubcomp() throws Exception {
        try (EmbeddedBroker.Connection c = broker.connect()) {
            c.receive(CONNECT_311);
            c.sent();
            c.receive(bytes(
                    0x34,           // PUBLISH, QoS 2
                    0x06,           // remaining length 6
                    0x00, 0x01, "q",// topic "q"
                    0x00, 0x05,     // packet identifier 5
                    "x"));          // payload
            assertBytes(bytes(
                    0x50,           // PUBREC
                    0x02,           // remaining length 2
                    0x00, 0x05),    // packet identifier 5
                    c.sent());
            c.receive(bytes(
                    0x62,           // PUBREL, flags 0010 [MQTT-3.6.1-1]
                    0x02,           // remaining length 2
                    0x00, 0x05));   // packet identifier 5
            assertBytes(bytes(
                    0x70,           // PUBCOMP
                    0x02,           // remaining length 2
                    0x00, 0x05),    // packet identifier 5
                    c.sent());
        }
    }

    @Test
    void mqtt5QoS1PublishGetsPubackWithoutReasonCodeWhenSuccessful() throws Exception {
        try (EmbeddedBroker.Connection c = broker.connect()) {
            c.receive(CONNECT_5);
            byte[] connack = c.sent();
            assertEquals(0x20, connack[0] & 0xFF, "CONNACK first");
            assertEquals(0x00, connack[3] & 0xFF, "CONNACK reason code 0: success");
            c.receive(bytes(
                    0x32,           // PUBLISH, QoS 1
                    0x07,           // remaining length 7
                    0x00, 0x01, "a",// topic "a"
                    0x00, 0x03,     // packet identifier 3
                    0x00,           // property length 0
                    "x"));          // payload
            assertBytes(bytes(
                    0x40,           // PUBACK
                    0x02,           // remaining length 2: reason 0x00 and no properties may be omitted (3.4.2.1)
                    0x00, 0x03),    // packet identifier 3
                    c.sent());
        }
    }

    @Test
    void disconnectClosesTheChannelWithoutAnswer() throws Exception {
        try (EmbeddedBroker.Connection c = broker.connect()) {
            c.receive(CONNECT_311);
            c.sent();
            c.receive(bytes(
                    0xE0,           // DISCONNECT
                    0x00));         // remaining length 0
            assertBytes(new byte[0], c.sent());
            assertFalse(c.isOpen(), "the server closes after DISCONNECT [MQTT-3.14.4-1]");
        }
    }

    @Test
    void publishBeforeConnectClosesTheChannelWithoutAnswer() throws Exception {
        try (EmbeddedBroker.Connection c = broker.connect()) {
            c.receive(bytes(
                    0x30,           // PUBLISH, QoS 0: not a CONNECT [MQTT-3.1.0-1]
                    0x04,           // remaining length 4
                    0x00, 0x01, "a",// topic "a"
                    "x"));          // payload
            assertBytes(new byte[0], c.sent());
            assertFalse(c.isOpen());
        }
    }

    @Test
    void mqtt5FiveByteRemainingLengthIsAnsweredWithDisconnect0x81() throws Exception {
        try (EmbeddedBroker.Connection c = broker.connect()) {
            c.receive(CONNECT_5);
            c.sent();
            c.receive(bytes(
                    0x30,           // PUBLISH, QoS 0
                    0xFF, 0xFF, 0xFF, 0xFF, 0x01)); // a remaining length of five bytes: malformed
            byte[] sent = c.sent();
            assertTrue(sent.length >= 3, "a DISCONNECT: " + HEX.formatHex(sent));
            assertEquals(0xE0, sent[0] & 0xFF, "DISCONNECT packet type");
            assertEquals(0x81, sent[2] & 0xFF, "reason code 0x81 Malformed Packet");
            assertFalse(c.isOpen());
        }
    }

    @Test
    void mqtt311PacketOverMaxPacketSizeClosesTheChannelWithoutAnswer() throws Exception {
        try (EmbeddedBroker.Connection under = broker.connect(); EmbeddedBroker.Connection over = broker.connect()) {
            under.receive(CONNECT_311);
            under.sent();
            under.receive(bytes(
                    0x30,           // PUBLISH, QoS 0
                    0xE8, 0x07,     // remaining length 1000 (0x68 | 0x80, 0x07): 1003 bytes in all
                    0x00, 0x01, "a"));// topic "a"; the payload is still to come
            assertTrue(under.isOpen(), "a packet under the 1024-byte limit is simply incomplete");

            over.receive(CONNECT_311);
            over.sent();
            over.receive(bytes(
                    0x30,           // PUBLISH, QoS 0
                    0x88, 0x08,     // remaining length 1032 (0x08 | 0x80, 0x08): over the limit
                    0x00, 0x01, "a"));// topic "a": with the variable header in, the decoder checks the size
            assertBytes(new byte[0], over.sent());
            assertFalse(over.isOpen(), "over maxPacketSize: an MQTT 3.1.1 client is just closed");
        }
    }
}
