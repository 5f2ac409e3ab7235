package io.tributary.broker.connect;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds MQTT packets byte by byte, for CONNECT packets that no client library (nor Netty's encoder) will
 * produce: a wrong protocol level, a reserved flag set, a Will QoS of 3. Every method documents the bytes.
 */
final class Wire {
    /** CONNECT flag bits (MQTT 3.1.1 and 5.0 section 3.1.2.3). */
    static final int RESERVED = 0x01;
    static final int CLEAN = 0x02;
    static final int WILL = 0x04;
    static final int WILL_QOS_1 = 0x08;
    static final int WILL_QOS_3 = 0x18;
    static final int WILL_RETAIN = 0x20;
    static final int PASSWORD = 0x40;
    static final int USERNAME = 0x80;

    /** Property identifiers (MQTT 5.0 section 2.2.2.2). */
    static final int SESSION_EXPIRY = 0x11;
    static final int AUTHENTICATION_METHOD = 0x15;
    static final int WILL_DELAY = 0x18;

    private Wire() {
    }

    /**
     * A CONNECT: fixed header 0x10 and remaining length; protocol name "MQTT"; {@code level}; {@code flags};
     * keep-alive (two bytes); for level 5 the properties ({@code properties}, may be empty); then the
     * payload fields as given (client identifier first, each already length-prefixed).
     */
    static byte[] connect(int level, int flags, int keepAlive, byte[] properties, byte[]... payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        write(body, utf8("MQTT"));
        body.write(level);
        body.write(flags);
        body.write(keepAlive >> 8);
        body.write(keepAlive & 0xFF);
        if (level == 5) {
            byte[] props = properties == null ? new byte[0] : properties;
            write(body, varInt(props.length));
            write(body, props);
        }
        for (byte[] field : payload) {
            write(body, field);
        }
        return packet(0x10, body.toByteArray());
    }

    /** A fixed header ({@code firstByte}, then the remaining length as a Variable Byte Integer) and the body. */
    static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        write(out, varInt(body.length));
        write(out, body);
        return out.toByteArray();
    }

    /** A UTF-8 Encoded String: two length bytes, then the bytes. */
    static byte[] utf8(String s) {
        return binary(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Binary Data: two length bytes, then the bytes. */
    static byte[] binary(byte[] data) {
        byte[] out = new byte[data.length + 2];
        out[0] = (byte) (data.length >> 8);
        out[1] = (byte) data.length;
        System.arraycopy(data, 0, out, 2, data.length);
        return out;
    }

    /** A Four Byte Integer property: identifier, then the value big-endian. */
    static byte[] intProperty(int id, long value) {
        return new byte[] {(byte) id, (byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value};
    }

    /** A UTF-8 string property: identifier, then the string. */
    static byte[] stringProperty(int id, String value) {
        return concat(new byte[] {(byte) id}, utf8(value));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            write(out, p);
        }
        return out.toByteArray();
    }

    static byte[] varInt(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes, 0, bytes.length);
    }
}
