package io.tributary.bench.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The MQTT → Kafka benchmark's payload: a small JSON document, as a device might send, naming the publisher, its
 * sequence number and the send time, padded to size:
 * {@code {"publisher":3,"seq":1234,"sentNanos":5678901234,"pad":"xxxx"}}.
 *
 * <p>Text only, so that it arrives unchanged through a bridge that turns message bodies into strings (camel-kafka's
 * default value serializer is the StringSerializer). The send time is {@link System#nanoTime()} of the driver JVM,
 * which also reads the records from Kafka, so latency needs no clock sync.
 */
public final class TelemetryPayload {

    /** The longest document without padding (every number at its widest) fits in this. */
    public static final int MIN_BYTES = 88;

    private static final byte[] PUBLISHER = ascii("{\"publisher\":");
    private static final byte[] SEQ = ascii(",\"seq\":");
    private static final byte[] SENT = ascii(",\"sentNanos\":");
    private static final byte[] PAD = ascii(",\"pad\":\"");
    private static final byte[] END = ascii("\"}");

    /** What a payload says; {@code publisher} is negative for the readiness probe. */
    public record Decoded(int publisher, int sequence, long sentNanos) {
    }

    private TelemetryPayload() {
    }

    /** A payload of exactly {@code size} bytes (at least {@link #MIN_BYTES}). */
    public static byte[] encode(int size, int publisher, int sequence, long sentNanos) {
        byte[] head = ascii(new String(PUBLISHER, StandardCharsets.US_ASCII) + publisher
                + new String(SEQ, StandardCharsets.US_ASCII) + sequence
                + new String(SENT, StandardCharsets.US_ASCII) + sentNanos
                + new String(PAD, StandardCharsets.US_ASCII));
        int padding = Math.max(0, size - head.length - END.length);
        byte[] payload = new byte[head.length + padding + END.length];
        System.arraycopy(head, 0, payload, 0, head.length);
        Arrays.fill(payload, head.length, head.length + padding, (byte) 'x');
        System.arraycopy(END, 0, payload, head.length + padding, END.length);
        return payload;
    }

    /** The fields of a payload this class encoded, or null for anything else. */
    public static Decoded decode(byte[] payload) {
        if (payload == null || !startsWith(payload, 0, PUBLISHER)) {
            return null;
        }
        int[] at = {PUBLISHER.length};
        long publisher = number(payload, at);
        if (at[0] < 0 || !startsWith(payload, at[0], SEQ)) {
            return null;
        }
        at[0] += SEQ.length;
        long sequence = number(payload, at);
        if (at[0] < 0 || !startsWith(payload, at[0], SENT)) {
            return null;
        }
        at[0] += SENT.length;
        long sent = number(payload, at);
        if (at[0] < 0 || !startsWith(payload, at[0], PAD)
                || publisher < Integer.MIN_VALUE || publisher > Integer.MAX_VALUE
                || sequence < 0 || sequence > Integer.MAX_VALUE) {
            return null;
        }
        return new Decoded((int) publisher, (int) sequence, sent);
    }

    /** Reads a decimal number at {@code at[0]} and moves past it; sets {@code at[0]} to -1 when there is none. */
    private static long number(byte[] bytes, int[] at) {
        int i = at[0];
        boolean negative = i < bytes.length && bytes[i] == '-';
        if (negative) {
            i++;
        }
        int digitsFrom = i;
        long value = 0;
        while (i < bytes.length && bytes[i] >= '0' && bytes[i] <= '9' && i - digitsFrom < 19) {
            value = value * 10 + (bytes[i] - '0');
            i++;
        }
        at[0] = i == digitsFrom ? -1 : i;
        return negative ? -value : value;
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        if (offset < 0 || offset + prefix.length > bytes.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
