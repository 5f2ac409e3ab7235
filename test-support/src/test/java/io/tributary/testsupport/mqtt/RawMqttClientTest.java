package io.tributary.testsupport.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The client against a socket that plays the broker byte by byte. */
class RawMqttClientTest {
    private static final Duration WAIT = Duration.ofSeconds(3);

    @Test
    void aPacketSplitAcrossReadsIsOneFrame() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             RawMqttClient client = new RawMqttClient(listener.getLocalPort());
             Socket broker = listener.accept()) {
            OutputStream out = broker.getOutputStream();
            out.write(new byte[] {0x20, 0x02});   // CONNACK, remaining length 2 ...
            out.flush();
            assertNull(client.nextFrame(Duration.ofMillis(100)), "half a packet is no packet");
            out.write(new byte[] {0x01, 0x05});   // ... session present, code 5 (not authorised)
            out.flush();

            Frame connack = client.expectFrame(Frame.CONNACK, WAIT);
            assertTrue(connack.sessionPresent());
            assertEquals(5, connack.connectCode());
        }
    }

    @Test
    void aFrameIsDecodedWithTheVersionInUseAndTheCloseIsSeen() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             RawMqttClient client = new RawMqttClient(listener.getLocalPort())) {
            client.useVersion(MqttVersion.MQTT_3_1_1);
            try (Socket broker = listener.accept()) {
                broker.getOutputStream().write(new byte[] {0x40, 0x02, 0x01, 0x2C}); // PUBACK for packet 300
            }
            MqttMessage puback = client.expect(MqttMessageType.PUBACK, WAIT);
            assertEquals(300, RawMqttClient.packetId(puback));
            assertEquals(0, RawMqttClient.reasonCode(puback));
            assertTrue(client.closedWithin(WAIT));
        }
    }

    @Test
    void wireBytesWriteTheRemainingLengthInAsManyBytesAsItNeeds() {
        byte[] body = new byte[200];
        byte[] wire = new Frame(3, 0x2, body).wireBytes();
        assertArrayEquals(new byte[] {0x32, (byte) 0xC8, 0x01}, java.util.Arrays.copyOf(wire, 3)); // 200 = 0x48 + 1 * 128
        assertEquals(203, wire.length);
    }
}
