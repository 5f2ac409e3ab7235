package io.tributary.cluster.format;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Encodes and decodes a node's {@code CHECKPOINT} record (key {@code node/<N>} in the sessions topic): its
 * incarnation, when it was written, and per messages partition the position below which everything was
 * delivered, and per sessions partition the position below which it applied every record (the SUBACK barrier,
 * design §4.2, waits on those of every live node). The third list the design names is written empty.
 *
 * <p>Concurrency: stateless.
 */
public final class CheckpointRecords {

    private CheckpointRecords() {
    }

    /**
     * One node's checkpoint.
     *
     * @param incarnation the node's start time, which tells one run of a node from the next
     * @param writtenAtMillis when it was written
     * @param sessionsPositions per sessions partition, the offset of the first record not yet applied; empty
     *     before the node read the sessions topic
     * @param messagePositions per messages partition, the offset of the first record not yet delivered
     */
    public record Checkpoint(long incarnation, long writtenAtMillis, long[] sessionsPositions,
                             long[] messagePositions) {
    }

    /** The key of node {@code node}'s checkpoint. */
    public static String key(String node) {
        return "node/" + node;
    }

    public static byte[] encode(Checkpoint checkpoint) {
        return RecordFormat.write(RecordFormat.CHECKPOINT, out -> {
            out.writeLong(checkpoint.incarnation());
            out.writeLong(checkpoint.writtenAtMillis());
            writeLongs(out, checkpoint.sessionsPositions());
            writeLongs(out, checkpoint.messagePositions());
            writeLongs(out, new long[0]);
        });
    }

    /**
     * @param where the record's topic, partition and offset, as errors name it
     * @throws RecordFormatException if the value is not such a record of this format
     */
    public static Checkpoint decode(byte[] value, String where) {
        DataInputStream in = RecordFormat.read(value, RecordFormat.CHECKPOINT, where);
        try {
            long incarnation = in.readLong();
            long millis = in.readLong();
            long[] sessions = readLongs(in, value.length);
            long[] positions = readLongs(in, value.length);
            readLongs(in, value.length);
            return new Checkpoint(incarnation, millis, sessions, positions);
        } catch (IOException | IllegalArgumentException e) {
            throw new RecordFormatException(where + ": a CHECKPOINT record that cannot be read: " + e.getMessage(), e);
        }
    }

    private static void writeLongs(DataOutputStream out, long[] values) throws IOException {
        out.writeInt(values.length);
        for (long value : values) {
            out.writeLong(value);
        }
    }

    private static long[] readLongs(DataInputStream in, int limit) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > limit / 8) {
            throw new IllegalArgumentException(count + " positions in " + limit + " bytes");
        }
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.readLong();
        }
        return values;
    }
}
