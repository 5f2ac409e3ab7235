package io.tributary.bench.raw;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The payload of the raw route driver: text only, so that it passes unchanged through a bridge that turns bodies into
 * strings (camel-kafka's default serializer), with fixed-width decimal fields that can be stamped in place:
 * {@code p=03,s=0000001234,t=0000012345678901234,xxxx...} (publisher, sequence, send time in
 * {@link System#nanoTime()} of the driver), padded with {@code x} to the payload size.
 */
final class TextStamp {

    /** Bytes of the stamped fields; the rest is padding. */
    static final int BYTES = 40;
    /** The publisher number of the readiness probe. */
    static final int PROBE = 99;

    private static final int PUBLISHER_AT = 2;
    private static final int SEQUENCE_AT = 7;
    private static final int SENT_AT = 20;

    /** What a payload says. */
    record Decoded(int publisher, long sequence, long sentNanos) {
    }

    private TextStamp() {
    }

    /** A payload of {@code size} bytes for {@code publisher} (0-99), sequence and time still zero. */
    static byte[] template(int size, int publisher) {
        if (size < BYTES) {
            throw new IllegalArgumentException("the payload must be at least " + BYTES + " bytes");
        }
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 'x');
        byte[] head = "p=00,s=0000000000,t=0000000000000000000,".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, payload, 0, head.length);
        putDigits(payload, PUBLISHER_AT, 2, publisher);
        return payload;
    }

    /** Stamps the sequence and the send time into the payload that starts at {@code offset} of {@code buffer}. */
    static void stamp(ByteBuffer buffer, int offset, long sequence, long sentNanos) {
        putDigits(buffer, offset + SEQUENCE_AT, 10, sequence);
        putDigits(buffer, offset + SENT_AT, 19, sentNanos);
    }

    /** The fields of a payload, or null when it is not one. */
    static Decoded decode(byte[] value) {
        if (value == null || value.length < BYTES || value[0] != 'p' || value[5] != 's' || value[18] != 't') {
            return null;
        }
        long publisher = digits(value, PUBLISHER_AT, 2);
        long sequence = digits(value, SEQUENCE_AT, 10);
        long sent = digits(value, SENT_AT, 19);
        return publisher < 0 || sequence < 0 || sent < 0 ? null : new Decoded((int) publisher, sequence, sent);
    }

    private static void putDigits(byte[] into, int at, int width, long value) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private static void putDigits(ByteBuffer into, int at, int width, long value) {
        for (int i = at + width - 1; i >= at; i--) {
            into.put(i, (byte) ('0' + value % 10));
            value /= 10;
        }
    }

    private static long digits(byte[] from, int at, int width) {
        long value = 0;
        for (int i = at; i < at + width; i++) {
            int digit = from[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
