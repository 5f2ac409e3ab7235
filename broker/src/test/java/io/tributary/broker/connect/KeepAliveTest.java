package io.tributary.broker.connect;

import static io.tributary.broker.connect.Wire.CLEAN;
import static io.tributary.broker.connect.Wire.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.mqtt.Frame;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Keep Alive (section 3.1.2.10 of both specifications): a client silent for one and a half keep-alive
 * periods is disconnected; PINGREQ keeps it alive; MQTT 5 Server Keep Alive lowers a long keep-alive.
 */
class KeepAliveTest {
    private static final byte[] PINGREQ = {(byte) 0xC0, 0x00};

    @Test
    void silentMqtt311ClientIsClosedAfterOneAndAHalfKeepAlives() throws Exception {
        try (RunningBroker broker = RunningBroker.start(); RawMqttClient c = new RawMqttClient(broker.port())) {
            c.sendBytes(Wire.connect(4, CLEAN, 1, null, utf8("silent-4")));
            c.expectFrame(Frame.CONNACK, Duration.ofSeconds(3));
            long connected = System.nanoTime();
            // Nothing received within 1.5 times the Keep Alive: the server must disconnect [MQTT-3.1.2-24].
            assertTrue(c.closedWithin(Duration.ofSeconds(3)), "still open 3 s after a 1 s keep-alive");
            long millis = (System.nanoTime() - connected) / 1_000_000;
            assertTrue(millis >= 1400, "closed after " + millis + " ms, before 1.5 keep-alives");
        }
    }

    @Test
    void silentMqtt5ClientGetsDisconnect0x8DAfterOneAndAHalfKeepAlives() throws Exception {
        try (RunningBroker broker = RunningBroker.start(); RawMqttClient c = new RawMqttClient(broker.port())) {
            c.sendBytes(Wire.connect(5, CLEAN, 1, new byte[0], utf8("silent-5")));
            c.expectFrame(Frame.CONNACK, Duration.ofSeconds(3));
            long connected = System.nanoTime();
            // [MQTT-3.1.2-22]; the server says why with DISCONNECT 0x8D (Keep Alive timeout) [MQTT-4.13.1-1].
            Frame disconnect = c.expectFrame(Frame.DISCONNECT, Duration.ofSeconds(3));
            long millis = (System.nanoTime() - connected) / 1_000_000;
            assertEquals(0x8D, disconnect.disconnectReason());
            assertTrue(millis >= 1400, "disconnected after " + millis + " ms, before 1.5 keep-alives");
            assertTrue(c.closedWithin(Duration.ofSeconds(1)));
        }
    }

    @Test
    void pingreqKeepsTheConnectionOpenPastTheKeepAlive() throws Exception {
        try (RunningBroker broker = RunningBroker.start(); RawMqttClient c = new RawMqttClient(broker.port())) {
            c.sendBytes(Wire.connect(4, CLEAN, 1, null, utf8("pinger")));
            c.expectFrame(Frame.CONNACK, Duration.ofSeconds(3));
            // Three seconds, twice the 1.5 s limit, kept alive by a PINGREQ every 700 ms; each gets PINGRESP [MQTT-3.12.4-1].
            for (int i = 0; i < 4; i++) {
                assertFalse(c.closedWithin(Duration.ofMillis(700)), "closed although the client pinged");
                c.sendBytes(PINGREQ);
                assertEquals(Frame.PINGRESP, c.expectFrame(Frame.PINGRESP, Duration.ofSeconds(1)).type());
            }
        }
    }

    @Test
    void bytesOfAPacketStillArrivingCountAsActivity() throws Exception {
        try (RunningBroker broker = RunningBroker.start(); RawMqttClient c = new RawMqttClient(broker.port())) {
            c.sendBytes(Wire.connect(4, CLEAN, 1, null, utf8("trickler")));
            c.expectFrame(Frame.CONNACK, Duration.ofSeconds(3));
            // Half a PINGREQ at 0.7 s, the rest at 2.0 s: no whole packet within the 1.5 s limit, but bytes.
            assertFalse(c.closedWithin(Duration.ofMillis(700)), "closed before the keep-alive");
            c.sendBytes(new byte[] {PINGREQ[0]});
            assertFalse(c.closedWithin(Duration.ofMillis(1300)), "closed although half a packet had arrived");
            c.sendBytes(new byte[] {PINGREQ[1]});
            assertEquals(Frame.PINGRESP, c.expectFrame(Frame.PINGRESP, Duration.ofSeconds(1)).type());
            // Then silence: closed again by the keep-alive.
            assertTrue(c.closedWithin(Duration.ofSeconds(3)), "still open 3 s after the last byte");
        }
    }

    @Test
    void mqtt5ClientKeepAliveAboveTheMaximumIsLoweredWithServerKeepAlive() {
        try (RunningBroker broker = RunningBroker.start(config -> config.maxKeepAliveSeconds(5))) {
            Mqtt5BlockingClient client = Clients.v5(broker, "long-keepalive");
            // The server may lower the keep-alive and says so with Server Keep Alive [MQTT-3.2.2-21].
            Mqtt5ConnAck ack = client.connectWith().keepAlive(60).send();
            assertEquals(5, ack.getServerKeepAlive().orElseThrow());
            client.disconnect();

            // A keep-alive within the maximum is left alone: no Server Keep Alive [MQTT-3.2.2-22].
            Mqtt5BlockingClient modest = Clients.v5(broker, "short-keepalive");
            Mqtt5ConnAck modestAck = modest.connectWith().keepAlive(3).send();
            assertTrue(modestAck.getServerKeepAlive().isEmpty(), "Server Keep Alive sent for a keep-alive under the maximum");
            modest.disconnect();
        }
    }

    @Test
    void serverKeepAliveIsEnforcedInsteadOfTheClientsLongerOne() throws Exception {
        try (RunningBroker broker = RunningBroker.start(config -> config.maxKeepAliveSeconds(1));
             RawMqttClient c = new RawMqttClient(broker.port())) {
            c.sendBytes(Wire.connect(5, CLEAN, 60, new byte[0], utf8("lowered")));
            Frame ack = c.expectFrame(Frame.CONNACK, Duration.ofSeconds(3));
            assertEquals(0x00, ack.connectCode());
            // The client must use Server Keep Alive (1 s) [MQTT-3.2.2-21], so silence ends it after 1.5 s.
            long connected = System.nanoTime();
            assertEquals(0x8D, c.expectFrame(Frame.DISCONNECT, Duration.ofSeconds(3)).disconnectReason());
            long millis = (System.nanoTime() - connected) / 1_000_000;
            assertTrue(millis >= 1400, "disconnected after " + millis + " ms");
        }
    }
}
