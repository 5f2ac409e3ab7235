package io.tributary.cluster.format;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The two bytes every cluster record value starts with: the format (1 in this version) and the kind of record.
 * A reader that meets a higher format never guesses: it fails, naming where the record is.
 *
 * <p>Concurrency: stateless.
 */
public final class RecordFormat {

    /** The format this version writes and reads. */
    public static final byte FORMAT = 1;

    /** A message in the messages topic. */
    public static final byte PUBLISH = 1;
    /** A session's state in the sessions topic, key {@code state/<clientId>/<epoch>}; a tombstone ends it. */
    public static final byte STATE = 4;
    /** A node's checkpoint in the sessions topic, key {@code node/<N>}. */
    public static final byte CHECKPOINT = 6;
    /** A retained message in the retained topic, keyed by its MQTT topic; a tombstone (null value) clears one. */
    public static final byte RETAINED = 8;

    /** The header that names the node that wrote a record. */
    public static final String NODE_HEADER = "tributary.node";
    /** The header that names the nodes a message is for; {@code *}: every node. */
    public static final String TO_HEADER = "tributary.to";
    /**
     * The header of a {@code PUBLISH} that carries the origin's choice of one member per shared group (design
     * §4.7), as {@link PublishRecords#encodeShares} writes it; absent when the origin chose no remote member.
     */
    public static final String SHARE_HEADER = "tributary.share";
    /** The value of {@link #TO_HEADER} for a message to every node. */
    public static final String EVERY_NODE = "*";

    private RecordFormat() {
    }

    /** Writes the format and {@code kind}, then what {@code body} writes. */
    static byte[] write(byte kind, Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeByte(kind);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        }
        return bytes.toByteArray();
    }

    /**
     * Checks the format and kind of {@code value} and returns a stream positioned after them.
     *
     * @param where the record's topic, partition and offset, as errors name it
     * @throws RecordFormatException for a format this version cannot read, another kind, or a value too short
     */
    static DataInputStream read(byte[] value, byte kind, String where) {
        if (value == null || value.length < 2) {
            throw new RecordFormatException(where + ": a record of " + (value == null ? 0 : value.length)
                    + " bytes is too short for its format and kind");
        }
        if (value[0] != FORMAT) {
            throw new RecordFormatException(where + ": record format " + value[0] + ", but this Tributary reads "
                    + "format " + FORMAT + (value[0] > FORMAT ? " only; a newer Tributary wrote it: upgrade this node"
                    : ""));
        }
        if (value[1] != kind) {
            throw new RecordFormatException(where + ": a record of kind " + value[1] + " where kind " + kind
                    + " was expected");
        }
        return new DataInputStream(new ByteArrayInputStream(value, 2, value.length - 2));
    }

    /** Writes a record's fields after its two bytes. */
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }
}
