package io.tributary.cluster.format;

import io.tributary.broker.Message;
import io.tributary.storage.MessageCodec;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Encodes and decodes {@code PUBLISH} records of the messages topic: the message as {@link MessageCodec} writes
 * it, then the publisher's packet id (0: none) and its session epoch (0: an in-process publish).
 *
 * <p>Concurrency: stateless.
 */
public final class PublishRecords {

    private PublishRecords() {
    }

    /** The value of an in-process publish. */
    public static byte[] encode(Message message) {
        return RecordFormat.write(RecordFormat.PUBLISH, out -> {
            MessageCodec.write(out, message);
            out.writeInt(0);
            out.writeLong(0);
        });
    }

    /**
     * The message of a {@code PUBLISH} value.
     *
     * @param where the record's topic, partition and offset, as errors name it
     * @throws RecordFormatException if the value is not such a record of this format
     */
    public static Message decode(byte[] value, String where) {
        DataInputStream in = RecordFormat.read(value, RecordFormat.PUBLISH, where);
        try {
            Message message = MessageCodec.read(in, value.length);
            in.readInt(); // the packet id: for inbound QoS 2 from a client, later
            in.readLong(); // the publisher's session epoch, later
            return message;
        } catch (IOException | IllegalArgumentException e) {
            throw new RecordFormatException(where + ": a PUBLISH record that cannot be read: " + e.getMessage(), e);
        }
    }
}
