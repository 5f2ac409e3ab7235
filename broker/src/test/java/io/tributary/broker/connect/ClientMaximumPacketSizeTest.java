package io.tributary.broker.connect;

import static io.tributary.broker.connect.Wire.CLEAN;
import static io.tributary.broker.connect.Wire.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.mqtt.Frame;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's Maximum Packet Size (MQTT 5 3.1.2.11.4) also bounds the CONNACK and DISCONNECT packets the
 * server sends when it refuses or ends a connection: their Reason String is left out when it would not fit.
 */
class ClientMaximumPacketSizeTest {
    private static final int MAXIMUM = 16;
    private static final Duration WAIT = Duration.ofSeconds(3);
    private RunningBroker broker;

    @BeforeEach
    void start() {
        broker = RunningBroker.start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** Maximum Packet Size (0x27) = 16 bytes. */
    private static byte[] maximumPacketSize() {
        return Wire.intProperty(0x27, MAXIMUM);
    }

    /** The packet's size on the wire: fixed header byte, remaining length bytes, body. */
    private static int size(Frame packet) {
        return 1 + Wire.varInt(packet.body().length).length + packet.body().length;
    }

    @Test
    void keepAliveDisconnectFitsTheClientsMaximumPacketSize() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.port())) {
            c.sendBytes(Wire.connect(5, CLEAN, 1, maximumPacketSize(), utf8("tiny-ka")));
            assertEquals(0x00, c.expectFrame(Frame.CONNACK, WAIT).connectCode());
            Frame disconnect = c.expectFrame(Frame.DISCONNECT, WAIT);
            assertEquals(0x8D, disconnect.disconnectReason());
            // The Reason String must not make the DISCONNECT exceed the receiver's Maximum Packet Size [MQTT-3.14.2-3].
            assertTrue(size(disconnect) <= MAXIMUM, "DISCONNECT of " + size(disconnect) + " bytes sent to a client "
                    + "whose Maximum Packet Size is " + MAXIMUM);
        }
    }

    @Test
    void protocolErrorDisconnectFitsTheClientsMaximumPacketSize() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.port())) {
            c.sendBytes(Wire.connect(5, CLEAN, 60, maximumPacketSize(), utf8("tiny-pe")));
            assertEquals(0x00, c.expectFrame(Frame.CONNACK, WAIT).connectCode());
            c.sendBytes(Wire.connect(5, CLEAN, 60, maximumPacketSize(), utf8("tiny-pe")));
            Frame disconnect = c.expectFrame(Frame.DISCONNECT, WAIT);
            assertEquals(0x82, disconnect.disconnectReason());
            // [MQTT-3.14.2-3], and the server must never send a packet above the client's maximum [MQTT-3.1.2-24].
            assertTrue(size(disconnect) <= MAXIMUM, "DISCONNECT of " + size(disconnect) + " bytes");
        }
    }

    @Test
    void refusingConnackFitsTheClientsMaximumPacketSize() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.port())) {
            c.sendBytes(Wire.connect(5, CLEAN, 60, Wire.concat(maximumPacketSize(),
                    Wire.stringProperty(Wire.AUTHENTICATION_METHOD, "SCRAM-SHA-1")), utf8("tiny-auth")));
            Frame connack = c.expectFrame(Frame.CONNACK, WAIT);
            assertEquals(0x8C, connack.connectCode());
            // The Reason String must not make the CONNACK exceed the client's Maximum Packet Size [MQTT-3.2.2-19].
            assertTrue(size(connack) <= MAXIMUM, "CONNACK of " + size(connack) + " bytes");
        }
    }
}
