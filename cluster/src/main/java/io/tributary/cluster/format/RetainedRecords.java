package io.tributary.cluster.format;

import io.tributary.broker.Message;
import io.tributary.storage.MessageCodec;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Encodes and decodes {@code RETAINED} records of the retained topic: the key is the MQTT topic, the value the
 * message as {@link MessageCodec} writes it. A cleared topic is a tombstone (a null value), so it has no encoding
 * here.
 *
 * <p>Concurrency: stateless.
 */
public final class RetainedRecords {

    private RetainedRecords() {
    }

    public static byte[] encode(Message message) {
        return RecordFormat.write(RecordFormat.RETAINED, out -> MessageCodec.write(out, message));
    }

    /**
     * The message of a {@code RETAINED} value.
     *
     * @param where the record's topic, partition and offset, as errors name it
     * @throws RecordFormatException if the value is not such a record of this format
     */
    public static Message decode(byte[] value, String where) {
        DataInputStream in = RecordFormat.read(value, RecordFormat.RETAINED, where);
        try {
            return MessageCodec.read(in, value.length);
        } catch (IOException | IllegalArgumentException e) {
            throw new RecordFormatException(where + ": a RETAINED record that cannot be read: " + e.getMessage(), e);
        }
    }
}
