package io.tributary.broker.persistence;

import java.nio.charset.StandardCharsets;

/**
 * The layout of a state snapshot, version 2. Big-endian {@link java.io.DataOutputStream} primitives; a
 * {@code string} is an int byte length and UTF-8 bytes, a {@code bytes} an int length and the bytes, and
 * either is {@code null} when the length is -1. Every message is written once, in a table, and referred to
 * by its index, because one publish is often queued for many sessions.
 *
 * <pre>
 * file         = magic "TRIBSTAT", int version (2), body, int CRC-32 of everything before it
 * body         = long savedAtMillis, int n, message * n (the table),
 *                int n, int messageIndex * n (retained), int n, session * n
 * message      = string topic, bytes payload, byte qos, boolean retain, properties, string publisherId (null
 *                for in-process), long receivedAtMillis
 * properties   = boolean payloadUtf8, long messageExpirySeconds (-1: none), string contentType,
 *                string responseTopic, bytes correlationData, int n, (string name, string value) * n
 * session      = string clientId, boolean usernameKnown, string username (null: anonymous, or not known),
 *                byte protocolVersion, long expirySeconds, long offlineSinceMillis,
 *                int n, subscription * n, int n, unsigned short inboundQos2PacketId * n,
 *                int n, (unsigned short packetId, boolean pubrecReceived, delivery) * n (in flight),
 *                int n, delivery * n (queued), boolean hasWill, [int messageIndex, long willDelaySeconds]
 * subscription = string filter, byte maxQos, boolean noLocal, boolean retainAsPublished, byte retainHandling,
 *                int subscriptionId
 * delivery     = int messageIndex, byte qos, boolean retain, int n, int subscriptionId * n
 * </pre>
 *
 * Version 1 is the same without {@code usernameKnown} and {@code username}: its sessions are read with the
 * user name not known. A reader refuses a version it does not know; a new version gets a new number and a reader
 * for the old ones.
 */
final class SnapshotFormat {
    static final byte[] MAGIC = "TRIBSTAT".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    /** The oldest version still read. */
    static final int OLDEST_VERSION = 1;
    /** Magic, version and checksum: the smallest possible file is a few bytes more. */
    static final int FRAME_BYTES = 8 + 4 + 4;

    private SnapshotFormat() {
    }
}
