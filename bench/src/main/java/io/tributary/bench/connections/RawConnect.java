package io.tributary.bench.connections;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The two MQTT 3.1.1 packets a bare connection needs, as bytes: CONNECT out and CONNACK in. Used where a full
 * client would cost more than the thing being measured (ten thousand idle connections, readiness probes).
 */
public final class RawConnect {

    /** CONNACK is always four bytes in MQTT 3.1.1: type, remaining length 2, flags, return code. */
    public static final int CONNACK_LENGTH = 4;

    private RawConnect() {
    }

    /**
     * A CONNECT with clean session and no credentials.
     *
     * @param clientId at most 100 ASCII characters, so that the remaining length fits in one byte
     * @param keepAliveSeconds 0 turns keep-alive off [MQTT-3.1.2-24 and following]
     */
    public static ByteBuffer connect(String clientId, int keepAliveSeconds) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 100) {
            throw new IllegalArgumentException("client id too long for a one-byte remaining length: " + clientId);
        }
        int remaining = 10 + 2 + id.length;
        ByteBuffer buffer = ByteBuffer.allocate(2 + remaining);
        buffer.put((byte) 0x10);                       // CONNECT, flags 0
        buffer.put((byte) remaining);                  // remaining length, < 128 so one byte
        buffer.put(new byte[] {0, 4, 'M', 'Q', 'T', 'T'}); // protocol name
        buffer.put((byte) 4);                          // protocol level 4 = MQTT 3.1.1
        buffer.put((byte) 0x02);                       // connect flags: clean session only
        buffer.putShort((short) keepAliveSeconds);     // keep alive, big-endian
        buffer.putShort((short) id.length);            // client identifier
        buffer.put(id);
        return buffer.flip();
    }

    /**
     * The CONNACK return code in a four-byte CONNACK, or -1 when the bytes are not a CONNACK.
     *
     * @param connack exactly {@link #CONNACK_LENGTH} bytes, position 0
     */
    public static int returnCode(ByteBuffer connack) {
        if (connack.limit() != CONNACK_LENGTH || connack.get(0) != 0x20 || connack.get(1) != 0x02) {
            return -1;
        }
        return connack.get(3) & 0xFF;
    }
}
