package io.tributary.bench.raw;

import java.nio.ByteBuffer;

/**
 * A run of identical PUBLISH packets encoded once into one direct buffer; before each write only the fields that
 * change are stamped in place: in each payload the publisher's number, a sequence number and the send time
 * ({@link System#nanoTime()}), and at QoS 1 the packet identifier. Writing a batch is one system call for many
 * messages, which is what lets one driver thread out-publish a broker.
 *
 * <p>Payload layout, binary: publisher (int), sequence (long), send time in nanoseconds (long), then zeros up to the
 * payload size; text: a {@link TextStamp} (for systems that pass payloads through as strings). Not thread-safe: one
 * per publisher.
 */
final class PublishBatch {

    /** Bytes of the payload the driver uses; the rest is padding. */
    static final int STAMP_BYTES = 20;

    private final ByteBuffer buffer;
    private final int packetSize;
    private final int payloadOffset;
    private final int packetIdOffset;
    private final int capacity;
    private final int qos;
    private final boolean text;

    PublishBatch(int version, String topic, int qos, int payloadBytes, int publisher, int capacity) {
        this(version, topic, qos, payloadBytes, publisher, capacity, false);
    }

    /** With {@code text}, payloads are {@link TextStamp}s instead of the binary layout. */
    PublishBatch(int version, String topic, int qos, int payloadBytes, int publisher, int capacity, boolean text) {
        int minimum = text ? TextStamp.BYTES : STAMP_BYTES;
        if (payloadBytes < minimum) {
            throw new IllegalArgumentException("payload must be at least " + minimum + " bytes");
        }
        this.qos = qos;
        this.text = text;
        this.capacity = capacity;
        this.packetSize = MqttWire.publishSize(version, topic, qos, payloadBytes);
        this.buffer = ByteBuffer.allocateDirect(packetSize * capacity);
        byte[] payload = text ? TextStamp.template(payloadBytes, publisher) : new byte[payloadBytes];
        if (!text) {
            ByteBuffer.wrap(payload).putInt(publisher);
        }
        int offset = 0;
        for (int i = 0; i < capacity; i++) {
            offset = MqttWire.putPublish(buffer, version, topic, qos, 1, payload) - i * packetSize;
        }
        this.payloadOffset = offset;
        this.packetIdOffset = offset - MqttWire.packetIdBeforePayload(version);
    }

    int capacity() {
        return capacity;
    }

    int packetSize() {
        return packetSize;
    }

    /**
     * Stamps the first {@code count} packets with sequence numbers from {@code firstSequence} and returns the buffer
     * positioned to write exactly them. At QoS 1 the packet identifiers are the sequence numbers modulo 65,535, plus
     * one: unique as long as fewer than 65,535 messages are in flight.
     */
    ByteBuffer stamp(long firstSequence, int count, long sentNanos) {
        buffer.clear(); // absolute puts are checked against the limit the last stamp left
        for (int i = 0; i < count; i++) {
            int at = i * packetSize + payloadOffset;
            long sequence = firstSequence + i;
            if (text) {
                TextStamp.stamp(buffer, at, sequence, sentNanos);
            } else {
                buffer.putLong(at + 4, sequence);
                buffer.putLong(at + 12, sentNanos);
            }
            if (qos > 0) {
                buffer.putShort(i * packetSize + packetIdOffset, (short) (sequence % 65_535 + 1));
            }
        }
        return buffer.limit(count * packetSize).position(0);
    }

    /** The publisher's number in a payload that starts at {@code offset}. */
    static int publisher(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset);
    }

    static long sequence(ByteBuffer buffer, int offset) {
        return buffer.getLong(offset + 4);
    }

    static long sentNanos(ByteBuffer buffer, int offset) {
        return buffer.getLong(offset + 12);
    }
}
