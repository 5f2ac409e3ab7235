package io.tributary.testsupport.mqtt;

import java.util.Arrays;

/**
 * One MQTT packet as it came over the wire, not decoded: the packet type (high nibble of the first byte), its
 * flags (low nibble) and the bytes after the remaining length. Readable whatever the protocol version, and
 * whatever the broker sent, valid or not.
 */
public record Frame(int type, int flags, byte[] body) {
    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int PUBREC = 5;
    public static final int PUBREL = 6;
    public static final int PUBCOMP = 7;
    public static final int SUBACK = 9;
    public static final int UNSUBACK = 11;
    public static final int PINGRESP = 13;
    public static final int DISCONNECT = 14;

    /** CONNACK: the return code (3.1.1) or reason code (5.0), the second byte of the variable header. */
    public int connectCode() {
        return body[1] & 0xFF;
    }

    /** CONNACK: the Session Present flag. */
    public boolean sessionPresent() {
        return (body[0] & 0x01) != 0;
    }

    /** MQTT 5 DISCONNECT: the reason code (0x00 when the body is empty). */
    public int disconnectReason() {
        return body.length == 0 ? 0 : body[0] & 0xFF;
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP: the packet identifier, the first two bytes. */
    public int packetId() {
        return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
    }

    /** The packet as it was on the wire: first byte, remaining length and body. */
    public byte[] wireBytes() {
        byte[] out = new byte[1 + 4 + body.length];
        int pos = 0;
        out[pos++] = (byte) ((type << 4) | flags);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out[pos++] = (byte) (length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        System.arraycopy(body, 0, out, pos, body.length);
        return Arrays.copyOf(out, pos + body.length);
    }

    @Override
    public String toString() {
        return "Frame[type=" + type + ", flags=" + flags + ", body=" + Arrays.toString(body) + "]";
    }
}
