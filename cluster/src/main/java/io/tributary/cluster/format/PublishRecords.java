package io.tributary.cluster.format;

import io.tributary.broker.Message;
import io.tributary.storage.MessageCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.tributary.broker.cluster.ShareChoice;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes {@code PUBLISH} records of the messages topic: the message as {@link MessageCodec} writes
 * it, then the publisher's packet id (0: none) and its session epoch (0: an in-process publish); and the value of
 * the {@code tributary.share} header.
 *
 * <p>The share header, exactly: an unsigned {@code short} count of choices, then per choice three strings as
 * {@link DataOutputStream#writeUTF} writes them: the shared subscription's filter as the clients gave it
 * ({@code $share/G/filter}: the group with its filter, since one group name may have several filters), the node
 * that owns the chosen member's session, and the member's client id. Binary, not {@code G=c} text: a client id
 * may hold {@code =} and {@code ,}; the node is there so that a node tells "chosen elsewhere" from "chosen here
 * and gone".
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

    /** The value of the {@code tributary.share} header for {@code choices}. */
    public static byte[] encodeShares(List<ShareChoice> choices) {
        if (choices.size() > 0xFFFF) {
            throw new IllegalArgumentException(choices.size() + " shared groups in one record; at most 65535");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * choices.size() + 2);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(choices.size());
            for (ShareChoice choice : choices) {
                out.writeUTF(choice.filter());
                out.writeUTF(choice.node());
                out.writeUTF(choice.clientId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        }
        return bytes.toByteArray();
    }

    /**
     * The choices of a {@code tributary.share} header, in the written order.
     *
     * @param where the record's topic, partition and offset, as errors name it
     * @throws RecordFormatException if the header cannot be read
     */
    public static List<ShareChoice> decodeShares(byte[] header, String where) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(header))) {
            int count = in.readUnsignedShort();
            List<ShareChoice> choices = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                choices.add(new ShareChoice(in.readUTF(), in.readUTF(), in.readUTF()));
            }
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes after the last choice");
            }
            return choices;
        } catch (IOException e) {
            throw new RecordFormatException(where + ": a tributary.share header that cannot be read: "
                    + e.getMessage(), e);
        }
    }
}
