package io.tributary.bench.load;

import java.nio.ByteBuffer;

/**
 * The benchmark payload: when it was sent, by which publisher, with which sequence number, padded to size. The send
 * time is {@link System#nanoTime()} of the driver JVM, which also receives, so latency needs no clock sync.
 */
public final class Payload {

    /** Send time (8 bytes), publisher index (4), sequence number (4). */
    public static final int MIN_BYTES = 16;

    private Payload() {
    }

    public static ByteBuffer encode(int size, long sentNanos, int publisher, int sequence) {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putLong(0, sentNanos).putInt(8, publisher).putInt(12, sequence);
        return buffer;
    }

    public static long sentNanos(ByteBuffer payload) {
        return payload.getLong(payload.position());
    }

    public static int publisher(ByteBuffer payload) {
        return payload.getInt(payload.position() + 8);
    }

    public static int sequence(ByteBuffer payload) {
        return payload.getInt(payload.position() + 12);
    }

    public static boolean isWellFormed(ByteBuffer payload) {
        return payload.remaining() >= MIN_BYTES;
    }
}
