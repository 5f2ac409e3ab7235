package io.tributary.routes.buffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The layout of the buffers' keys in their one store: the route's name in UTF-8, a zero byte, and the message's
 * sequence number as 8 bytes big-endian. So a route's messages sort together, in the order they were taken, and
 * a route's buffer is one prefix (route names cannot hold a zero byte, so no name is a prefix of another's keys).
 * The value is the message as {@link StoredMessage} writes it.
 */
final class BufferKeys {

    static final int SEQUENCE_BYTES = Long.BYTES;

    private BufferKeys() {
    }

    /** The prefix of every key of {@code route}'s buffer. */
    static byte[] prefix(String route) {
        byte[] name = route.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(name, name.length + 1);
    }

    /** The key of the message numbered {@code sequence} in the buffer whose keys start with {@code prefix}. */
    static byte[] key(byte[] prefix, long sequence) {
        return ByteBuffer.allocate(prefix.length + SEQUENCE_BYTES).put(prefix).putLong(sequence).array();
    }

    /** The route a key belongs to, or null if the key is not laid out as a buffer's. */
    static String route(byte[] key) {
        int zero = key.length - SEQUENCE_BYTES - 1;
        if (zero < 0 || key[zero] != 0) {
            return null;
        }
        return new String(key, 0, zero, StandardCharsets.UTF_8);
    }

    /** The sequence number of a key laid out as a buffer's. */
    static long sequence(byte[] key) {
        return ByteBuffer.wrap(key, key.length - SEQUENCE_BYTES, SEQUENCE_BYTES).getLong();
    }
}
