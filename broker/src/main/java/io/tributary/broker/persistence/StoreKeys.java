package io.tributary.broker.persistence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The layout of the broker's keys in its {@link io.tributary.store.RocksStore}, one byte of kind first:
 * <pre>
 *   'R' topic                              a retained message
 *   'S' client-id                          a persistent session's description
 *   'Q' length(2) client-id seq(8)          a message queued for the session, or in flight to it
 *   'I' length(2) client-id packet-id(2)    an inbound QoS 2 message accepted, awaiting PUBREL
 * </pre>
 * Numbers are big-endian, so a session's messages sort by sequence number; the client id's length comes first
 * so that one client's keys never run into another's whose id it starts.
 */
final class StoreKeys {
    static final byte RETAINED = 'R';
    static final byte SESSION = 'S';
    static final byte QUEUED = 'Q';
    static final byte INBOUND = 'I';

    private StoreKeys() {
    }

    static byte[] kind(byte kind) {
        return new byte[] {kind};
    }

    static byte[] retained(String topic) {
        return prefixed(RETAINED, topic.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] session(String clientId) {
        return prefixed(SESSION, clientId.getBytes(StandardCharsets.UTF_8));
    }

    /** The prefix of every key of kind {@code kind} ('Q' or 'I') of {@code clientId}. */
    static byte[] clientPrefix(byte kind, String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(3 + id.length).put(kind).putShort((short) id.length).put(id).array();
    }

    static byte[] queued(String clientId, long seq) {
        byte[] prefix = clientPrefix(QUEUED, clientId);
        return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(seq).array();
    }

    static byte[] inbound(String clientId, int packetId) {
        byte[] prefix = clientPrefix(INBOUND, clientId);
        return ByteBuffer.allocate(prefix.length + 2).put(prefix).putShort((short) packetId).array();
    }

    /** The text after the kind byte of an 'R' or 'S' key. */
    static String text(byte[] key) {
        return new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
    }

    /** The client id of a 'Q' or 'I' key. */
    static String clientId(byte[] key) {
        int length = ((key[1] & 0xFF) << 8) | (key[2] & 0xFF);
        return new String(key, 3, length, StandardCharsets.UTF_8);
    }

    /** The sequence number at the end of a 'Q' key. */
    static long seq(byte[] key) {
        return ByteBuffer.wrap(key, key.length - 8, 8).getLong();
    }

    /** The packet identifier at the end of an 'I' key. */
    static int packetId(byte[] key) {
        return ((key[key.length - 2] & 0xFF) << 8) | (key[key.length - 1] & 0xFF);
    }

    private static byte[] prefixed(byte kind, byte[] rest) {
        byte[] key = new byte[rest.length + 1];
        key[0] = kind;
        System.arraycopy(rest, 0, key, 1, rest.length);
        return key;
    }
}
