package io.tributary.bench.store;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The records of the workload: a 16-byte key (an 8-byte session hash, then the 8-byte big-endian sequence number
 * within the session) and a 124-byte value (about 60 bytes of message header and a 64-byte payload).
 *
 * <p>The header is the same for every record but for the session and sequence number at its start (real headers
 * repeat topics and properties too); the payload is random, so it does not compress (RocksDB compresses its
 * tables with Snappy by default, the MVStore does not compress). The session hash spreads sessions over the key
 * space as a real hash would, so consecutive appends to different sessions land in different parts of the tree.
 */
final class Records {

    static final int VALUE_BYTES = 124;
    private static final int HEADER_BYTES = 60;

    private static final byte[] TEMPLATE = new byte[VALUE_BYTES];

    static {
        new Random(42).nextBytes(TEMPLATE);
    }

    private Records() {
    }

    static byte[] key(long session, long sequence) {
        return ByteBuffer.allocate(16).putLong(sessionHash(session)).putLong(sequence).array();
    }

    /** The first key after every key of the session (no sequence number reaches 2^64 - 1). */
    static byte[] sessionEnd(long session) {
        return key(session, -1L);
    }

    static byte[] value(long session, long sequence) {
        byte[] value = TEMPLATE.clone();
        ByteBuffer.wrap(value).putLong(session).putLong(sequence);
        byte[] payload = new byte[VALUE_BYTES - HEADER_BYTES];
        ThreadLocalRandom.current().nextBytes(payload);
        System.arraycopy(payload, 0, value, HEADER_BYTES, payload.length);
        return value;
    }

    /** SplitMix64's finaliser: a fixed, well-spread stand-in for hashing the client id. */
    static long sessionHash(long session) {
        long z = session + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
