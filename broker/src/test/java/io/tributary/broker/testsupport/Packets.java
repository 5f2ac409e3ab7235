package io.tributary.broker.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.util.ReferenceCountUtil;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Hand-built packets and assertions on what a {@link RawMqttClient} received. */
public final class Packets {
    public static final Duration WAIT = Duration.ofSeconds(3);

    private Packets() {
    }

    /**
     * Reads until the broker's DISCONNECT (MQTT 5) and the close; fails if another packet type, another
     * reason code or no close comes. Packets before the DISCONNECT (acknowledgements) are ignored.
     */
    public static void assertDisconnectedWith(RawMqttClient client, int reasonCode) throws IOException {
        MqttMessage disconnect = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (disconnect == null && System.nanoTime() < deadline) {
            MqttMessage next = client.next(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            if (next == null) {
                break;
            }
            if (next.fixedHeader().messageType() == MqttMessageType.DISCONNECT) {
                disconnect = next;
            } else {
                ReferenceCountUtil.release(next);
            }
        }
        assertNotNull(disconnect, "expected DISCONNECT with reason 0x" + Integer.toHexString(reasonCode)
                + " before the close");
        int actual = ((MqttReasonCodeAndPropertiesVariableHeader) disconnect.variableHeader()).reasonCode() & 0xFF;
        assertEquals(hex(reasonCode), hex(actual), "DISCONNECT reason code");
        assertTrue(client.closedWithin(WAIT), "the broker must close the connection after DISCONNECT [MQTT-4.13.1-1]");
    }

    /** Fails unless the broker closes the connection without sending any packet first (MQTT 3.1.1). */
    public static void assertClosedWithoutPacket(RawMqttClient client) throws IOException {
        assertTrue(client.closedWithin(WAIT), "the broker must close the connection");
        MqttMessage anything = client.next(Duration.ofMillis(1));
        if (anything != null) {
            ReferenceCountUtil.release(anything);
            throw new AssertionError("a 3.1.1 broker has nothing to send before closing, but sent " + anything);
        }
    }

    /** Collects the packets that arrive within {@code quiet} of each other, up to {@code max}. */
    public static List<MqttMessage> drain(RawMqttClient client, Duration quiet, int max) throws IOException {
        List<MqttMessage> out = new ArrayList<>();
        MqttMessage next;
        while (out.size() < max && (next = client.next(quiet)) != null) {
            out.add(next);
        }
        return out;
    }

    /** The payload of a PUBLISH as UTF-8; releases the packet. */
    public static String payloadAndRelease(MqttMessage publish) {
        try {
            return ((MqttPublishMessage) publish).payload().toString(StandardCharsets.UTF_8);
        } finally {
            ReferenceCountUtil.release(publish);
        }
    }

    public static String hex(int value) {
        return "0x" + Integer.toHexString(value).toUpperCase();
    }

    /** Concatenates byte arrays and ints (each int one byte), for hand-built packets. */
    public static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Integer b) {
                out.write(b);
            } else if (part instanceof byte[] array) {
                out.writeBytes(array);
            } else if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                throw new IllegalArgumentException("not a byte part: " + part);
            }
        }
        return out.toByteArray();
    }
}
