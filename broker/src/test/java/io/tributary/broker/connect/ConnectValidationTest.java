package io.tributary.broker.connect;

import static io.tributary.broker.connect.Wire.AUTHENTICATION_METHOD;
import static io.tributary.broker.connect.Wire.CLEAN;
import static io.tributary.broker.connect.Wire.PASSWORD;
import static io.tributary.broker.connect.Wire.RESERVED;
import static io.tributary.broker.connect.Wire.WILL;
import static io.tributary.broker.connect.Wire.WILL_QOS_1;
import static io.tributary.broker.connect.Wire.WILL_QOS_3;
import static io.tributary.broker.connect.Wire.WILL_RETAIN;
import static io.tributary.broker.connect.Wire.binary;
import static io.tributary.broker.connect.Wire.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.mqtt.Frame;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CONNECT validation (MQTT 3.1.1 and 5.0 section 3.1) and the CONNACK codes for what is refused. Raw bytes
 * throughout: no client library sends these packets.
 */
class ConnectValidationTest {
    private static final Duration WAIT = Duration.ofSeconds(3);
    /** The properties of a v5 CONNECT with none set: an empty property length is added by {@link Wire}. */
    private static final byte[] NO_PROPERTIES = new byte[0];

    private RunningBroker broker;

    @BeforeEach
    void start() {
        broker = RunningBroker.start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private RawMqttClient client() throws Exception {
        return new RawMqttClient(broker.port());
    }

    private static byte[] propsFor(int level) {
        return level == 5 ? NO_PROPERTIES : null;
    }

    @Test
    void unsupportedProtocolLevelIsRefusedWithCode0x01AndClosed() throws Exception {
        try (RawMqttClient c = client()) {
            // Level 6 does not exist: CONNACK 0x01 (unacceptable protocol level), then close [MQTT-3.1.2-2 (3.1.1)].
            c.sendBytes(Wire.connect(6, CLEAN, 60, null, utf8("level6")));
            Frame connack = c.expectFrame(Frame.CONNACK, WAIT);
            assertEquals(0x01, connack.connectCode());
            assertTrue(c.closedWithin(WAIT));
        }
    }

    @ParameterizedTest(name = "MQTT level {0}")
    @ValueSource(ints = {4, 5})
    void reservedConnectFlagSetClosesTheConnection(int level) throws Exception {
        try (RawMqttClient c = client()) {
            // The reserved flag must be 0, otherwise it is a malformed packet / protocol violation [MQTT-3.1.2-3].
            c.sendBytes(Wire.connect(level, CLEAN | RESERVED, 60, propsFor(level), utf8("reserved-" + level)));
            assertRefusedAndClosed(c, level, 0x81);
        }
    }

    @ParameterizedTest(name = "MQTT level {0}")
    @ValueSource(ints = {4, 5})
    void willQos3ClosesV3AndIsRefusedWith0x81InV5(int level) throws Exception {
        try (RawMqttClient c = client()) {
            // Will QoS 3 is not allowed [MQTT-3.1.2-14 (3.1.1)]; in 5.0 it is a Malformed Packet (3.1.2.6).
            c.sendBytes(willConnect(level, WILL | WILL_QOS_3, "willqos3-" + level));
            assertRefusedAndClosed(c, level, 0x81);
        }
    }

    @ParameterizedTest(name = "MQTT level {0}")
    @ValueSource(ints = {4, 5})
    void willQosWithoutWillFlagClosesV3AndIsRefusedWith0x81InV5(int level) throws Exception {
        try (RawMqttClient c = client()) {
            // Will Flag 0 requires Will QoS 0 [MQTT-3.1.2-13 (3.1.1), MQTT-3.1.2-11 (5.0)].
            c.sendBytes(Wire.connect(level, CLEAN | WILL_QOS_1, 60, propsFor(level), utf8("noflag-qos-" + level)));
            assertRefusedAndClosed(c, level, 0x81);
        }
    }

    @ParameterizedTest(name = "MQTT level {0}")
    @ValueSource(ints = {4, 5})
    void willRetainWithoutWillFlagClosesV3AndIsRefusedWith0x81InV5(int level) throws Exception {
        try (RawMqttClient c = client()) {
            // Will Flag 0 requires Will Retain 0 [MQTT-3.1.2-15 (3.1.1), MQTT-3.1.2-13 (5.0)].
            c.sendBytes(Wire.connect(level, CLEAN | WILL_RETAIN, 60, propsFor(level), utf8("noflag-retain-" + level)));
            assertRefusedAndClosed(c, level, 0x81);
        }
    }

    @Test
    void passwordWithoutUserNameClosesAnMqtt311Connection() throws Exception {
        try (RawMqttClient c = client()) {
            // In 3.1.1 the Password Flag needs the User Name Flag [MQTT-3.1.2-22].
            c.sendBytes(Wire.connect(4, CLEAN | PASSWORD, 60, null, utf8("pw-only"), binary("secret".getBytes())));
            assertRefusedAndClosed(c, 4, -1);
        }
    }

    @Test
    void passwordWithoutUserNameIsAcceptedInMqtt5() throws Exception {
        try (RawMqttClient c = client()) {
            // MQTT 5.0 dropped that rule: a password without a user name is allowed (section 3.1.2.9).
            c.sendBytes(Wire.connect(5, CLEAN | PASSWORD, 60, NO_PROPERTIES, utf8("pw-only-5"),
                    binary("secret".getBytes())));
            assertEquals(0x00, c.expectFrame(Frame.CONNACK, WAIT).connectCode());
        }
    }

    @Test
    void firstPacketOtherThanConnectClosesTheConnection() throws Exception {
        try (RawMqttClient c = client()) {
            // The first packet from the client must be CONNECT [MQTT-3.1.0-1]; PINGREQ is 0xC0 0x00.
            c.sendBytes(new byte[] {(byte) 0xC0, 0x00});
            assertTrue(c.closedWithin(WAIT), "still open after a PINGREQ before CONNECT");
            assertEquals(null, c.nextFrame(Duration.ZERO), "nothing may be answered before CONNECT");
        }
    }

    @Test
    void publishBeforeConnectClosesTheConnection() throws Exception {
        try (RawMqttClient c = client()) {
            // QoS 0 PUBLISH to "a" with payload "x": 0x30, length 4, topic length 0x0001, 'a', 'x' [MQTT-3.1.0-1].
            c.sendBytes(new byte[] {0x30, 0x04, 0x00, 0x01, 'a', 'x'});
            assertTrue(c.closedWithin(WAIT));
            assertEquals(null, c.nextFrame(Duration.ZERO));
        }
    }

    @Test
    void secondConnectClosesAnMqtt311Connection() throws Exception {
        try (RawMqttClient c = client()) {
            c.sendBytes(Wire.connect(4, CLEAN, 60, null, utf8("twice-4")));
            assertEquals(0x00, c.expectFrame(Frame.CONNACK, WAIT).connectCode());
            // A second CONNECT is a protocol violation: the server must disconnect [MQTT-3.1.0-2].
            c.sendBytes(Wire.connect(4, CLEAN, 60, null, utf8("twice-4")));
            assertTrue(c.closedWithin(WAIT));
            assertEquals(null, c.nextFrame(Duration.ZERO), "no second CONNACK");
        }
    }

    @Test
    void secondConnectGetsDisconnect0x82InMqtt5() throws Exception {
        try (RawMqttClient c = client()) {
            c.sendBytes(Wire.connect(5, CLEAN, 60, NO_PROPERTIES, utf8("twice-5")));
            assertEquals(0x00, c.expectFrame(Frame.CONNACK, WAIT).connectCode());
            // A second CONNECT is a Protocol Error [MQTT-3.1.0-2]: DISCONNECT 0x82, then close [MQTT-4.13.1-1].
            c.sendBytes(Wire.connect(5, CLEAN, 60, NO_PROPERTIES, utf8("twice-5")));
            assertEquals(0x82, c.expectFrame(Frame.DISCONNECT, WAIT).disconnectReason());
            assertTrue(c.closedWithin(WAIT));
        }
    }

    @Test
    void authenticationMethodIsRefusedWith0x8C() throws Exception {
        try (RawMqttClient c = client()) {
            // Enhanced authentication is not offered: CONNACK 0x8C (Bad authentication method), close [MQTT-4.12.0-1].
            c.sendBytes(Wire.connect(5, CLEAN, 60, Wire.stringProperty(AUTHENTICATION_METHOD, "SCRAM-SHA-1"),
                    utf8("enhanced")));
            assertEquals(0x8C, c.expectFrame(Frame.CONNACK, WAIT).connectCode());
            assertTrue(c.closedWithin(WAIT));
        }
    }

    @Test
    void receiveMaximumZeroIsRefusedWith0x82() throws Exception {
        try (RawMqttClient c = client()) {
            // Receive Maximum (0x21) 0 is a Protocol Error (3.1.2.11.3): CONNACK 0x82, then close.
            c.sendBytes(Wire.connect(5, CLEAN, 60, new byte[] {0x21, 0x00, 0x00}, utf8("rm0")));
            assertEquals(0x82, c.expectFrame(Frame.CONNACK, WAIT).connectCode());
            assertTrue(c.closedWithin(WAIT));
        }
    }

    @Test
    void maximumPacketSizeZeroIsRefusedWith0x82() throws Exception {
        try (RawMqttClient c = client()) {
            // Maximum Packet Size (0x27) 0 is a Protocol Error (3.1.2.11.4): CONNACK 0x82, then close.
            c.sendBytes(Wire.connect(5, CLEAN, 60, Wire.intProperty(0x27, 0), utf8("mps0")));
            assertEquals(0x82, c.expectFrame(Frame.CONNACK, WAIT).connectCode());
            assertTrue(c.closedWithin(WAIT));
        }
    }

    @Test
    @org.junit.jupiter.api.Disabled("known gap: Netty's MqttProperties keeps only the last of a repeated property,"
            + " so the broker cannot see the repetition; needs a check on the raw packet (see docs/broker.md)")
    void sessionExpiryIntervalTwiceIsAProtocolError() throws Exception {
        try (RawMqttClient c = client()) {
            // "It is a Protocol Error to include the Session Expiry Interval more than once" (3.1.2.11.2):
            // the server must not accept the CONNECT (CONNACK 0x82 or close) [MQTT-4.13.1-1].
            c.sendBytes(Wire.connect(5, CLEAN, 60, Wire.concat(Wire.intProperty(Wire.SESSION_EXPIRY, 10),
                    Wire.intProperty(Wire.SESSION_EXPIRY, 20)), utf8("twice-expiry")));
            assertRefusedAndClosed(c, 5, 0x82);
        }
    }

    @Test
    void connectionWithoutConnectIsClosedAfterTheConnectTimeout() throws Exception {
        try (RunningBroker strict = RunningBroker.start(config -> config.connectTimeoutSeconds(1));
             RawMqttClient c = new RawMqttClient(strict.port())) {
            long started = System.nanoTime();
            assertFalse(c.closedWithin(Duration.ofMillis(700)), "closed before the connect timeout");
            assertTrue(c.closedWithin(Duration.ofMillis(2300)), "still open 3 s after connecting without CONNECT");
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(elapsedMillis >= 900, "closed after " + elapsedMillis + " ms, before the 1 s timeout");
        }
    }

    @Test
    void connectWithinTheConnectTimeoutStaysOpen() throws Exception {
        try (RunningBroker strict = RunningBroker.start(config -> config.connectTimeoutSeconds(1));
             RawMqttClient c = new RawMqttClient(strict.port())) {
            c.sendBytes(Wire.connect(4, CLEAN, 60, null, utf8("in-time")));
            assertEquals(0x00, c.expectFrame(Frame.CONNACK, WAIT).connectCode());
            assertFalse(c.closedWithin(Duration.ofMillis(1500)), "a connected client was closed by the connect timeout");
        }
    }

    /** A CONNECT with a will (topic "will/t", payload "bye") and the given flags. */
    private static byte[] willConnect(int level, int flags, String clientId) {
        if (level == 5) {
            return Wire.connect(5, CLEAN | flags, 60, NO_PROPERTIES, utf8(clientId),
                    new byte[] {0x00} /* will properties: none */, utf8("will/t"), binary("bye".getBytes()));
        }
        return Wire.connect(4, CLEAN | flags, 60, null, utf8(clientId), utf8("will/t"), binary("bye".getBytes()));
    }

    /**
     * Asserts the CONNECT was not accepted and the connection closed: MQTT 3.1.1 has no code for these and
     * closes without CONNACK; MQTT 5 may send CONNACK {@code v5Code} first (section 3.2.2.2).
     */
    private static void assertRefusedAndClosed(RawMqttClient c, int level, int v5Code) throws Exception {
        assertTrue(c.closedWithin(WAIT), "connection left open");
        Frame answer = c.nextFrame(Duration.ZERO);
        if (answer == null) {
            return;
        }
        assertEquals(Frame.CONNACK, answer.type(), "unexpected " + answer);
        assertNotEquals(0x00, answer.connectCode(), "CONNECT accepted");
        if (level == 5 && v5Code >= 0) {
            assertEquals(v5Code, answer.connectCode());
        }
    }
}
