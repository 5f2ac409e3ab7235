package io.tributary.broker.persistence;

import io.tributary.broker.BrokerState;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Reads what {@link SnapshotWriter} wrote. Every count and length is checked against the file's size before
 * anything is allocated, so a damaged file fails with an error instead of exhausting memory.
 */
final class SnapshotReader {
    private final DataInputStream in;
    private final long size;
    private Message[] table = new Message[0];
    private int version;

    private SnapshotReader(DataInputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    /**
     * Checks the magic, the version and the checksum of a whole file of {@code size} bytes, before anything
     * is parsed, so that damage is reported as damage.
     *
     * @throws IOException saying what is wrong
     */
    static void verify(InputStream source, long size) throws IOException {
        if (size < SnapshotFormat.FRAME_BYTES) {
            throw new IOException("it is " + size + " bytes long, too short to be a state snapshot (truncated?)");
        }
        CRC32 crc = new CRC32();
        byte[] header = new byte[12];
        readFully(source, header, header.length);
        crc.update(header);
        checkHeader(header);
        byte[] buffer = new byte[1 << 16];
        long left = size - header.length - 4;
        while (left > 0) {
            int n = source.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("it ended before its checksum (truncated?)");
            }
            crc.update(buffer, 0, n);
            left -= n;
        }
        byte[] stored = new byte[4];
        readFully(source, stored, 4);
        int expected = ((stored[0] & 0xFF) << 24) | ((stored[1] & 0xFF) << 16) | ((stored[2] & 0xFF) << 8)
                | (stored[3] & 0xFF);
        if ((int) crc.getValue() != expected) {
            throw new IOException("its checksum does not match its content: the file is damaged");
        }
    }

    /** Parses a file of {@code size} bytes that {@link #verify} accepted. */
    static BrokerState read(DataInputStream in, long size) throws IOException {
        try {
            return new SnapshotReader(in, size).readState();
        } catch (RuntimeException | EOFException e) {
            // A value a record refuses (a QoS 3, a null client identifier): the file says something impossible.
            throw new IOException("its content is not valid: " + e.getMessage(), e);
        }
    }

    /** @return the format version, one this reader knows */
    private static int checkHeader(byte[] header) throws IOException {
        if (!Arrays.equals(Arrays.copyOf(header, SnapshotFormat.MAGIC.length), SnapshotFormat.MAGIC)) {
            throw new IOException("it is not a Tributary state snapshot (it does not start with \"TRIBSTAT\")");
        }
        int version = ((header[8] & 0xFF) << 24) | ((header[9] & 0xFF) << 16) | ((header[10] & 0xFF) << 8)
                | (header[11] & 0xFF);
        if (version < SnapshotFormat.OLDEST_VERSION || version > SnapshotFormat.VERSION) {
            throw new IOException("it is in snapshot format version " + version + ", and this Tributary reads versions "
                    + SnapshotFormat.OLDEST_VERSION + " to " + SnapshotFormat.VERSION
                    + " only (was it written by a newer Tributary?)");
        }
        return version;
    }

    private BrokerState readState() throws IOException {
        byte[] header = new byte[12];
        in.readFully(header);
        version = checkHeader(header);
        long savedAt = in.readLong();
        table = new Message[count("messages")];
        for (int i = 0; i < table.length; i++) {
            table[i] = readMessage();
        }
        int retainedCount = count("retained messages");
        List<Message> retained = new ArrayList<>(Math.min(retainedCount, 1024));
        for (int i = 0; i < retainedCount; i++) {
            retained.add(message());
        }
        int sessionCount = count("sessions");
        List<BrokerState.SessionState> sessions = new ArrayList<>(Math.min(sessionCount, 1024));
        for (int i = 0; i < sessionCount; i++) {
            sessions.add(readSession());
        }
        in.readInt(); // the checksum, verified already
        if (in.read() != -1) {
            throw new IOException("its content is not valid: data after the checksum");
        }
        return new BrokerState(savedAt, retained, sessions);
    }

    private BrokerState.SessionState readSession() throws IOException {
        String clientId = readString();
        // Version 1 did not keep the user name.
        boolean usernameKnown = version >= 2 && in.readBoolean();
        String username = version >= 2 ? readString() : null;
        int protocolVersion = in.readUnsignedByte();
        long expirySeconds = in.readLong();
        long offlineSince = in.readLong();
        int subscriptionCount = count("subscriptions");
        List<BrokerState.SubscriptionState> subscriptions = new ArrayList<>(Math.min(subscriptionCount, 1024));
        for (int i = 0; i < subscriptionCount; i++) {
            subscriptions.add(StateCodec.readSubscription(in, size));
        }
        int qos2Count = count("QoS 2 packet identifiers");
        List<Integer> inboundQos2 = new ArrayList<>(Math.min(qos2Count, 1024));
        for (int i = 0; i < qos2Count; i++) {
            inboundQos2.add(in.readUnsignedShort());
        }
        int inFlightCount = count("messages in flight");
        List<BrokerState.InFlightDelivery> inFlight = new ArrayList<>(Math.min(inFlightCount, 1024));
        for (int i = 0; i < inFlightCount; i++) {
            inFlight.add(new BrokerState.InFlightDelivery(in.readUnsignedShort(), in.readBoolean(), readDelivery()));
        }
        int queuedCount = count("queued messages");
        List<BrokerState.Delivery> queued = new ArrayList<>(Math.min(queuedCount, 1024));
        for (int i = 0; i < queuedCount; i++) {
            queued.add(readDelivery());
        }
        BrokerState.WillState will = in.readBoolean() ? new BrokerState.WillState(message(), in.readLong()) : null;
        return new BrokerState.SessionState(clientId, username, usernameKnown, protocolVersion, expirySeconds,
                offlineSince, subscriptions, inboundQos2, inFlight, queued, will);
    }

    private BrokerState.Delivery readDelivery() throws IOException {
        Message message = message();
        QoS qos = qos();
        boolean retain = in.readBoolean();
        int idCount = count("subscription identifiers");
        List<Integer> ids = new ArrayList<>(Math.min(idCount, 16));
        for (int i = 0; i < idCount; i++) {
            ids.add(in.readInt());
        }
        return new BrokerState.Delivery(message, qos, retain, ids);
    }

    private Message readMessage() throws IOException {
        return StateCodec.readMessage(in, size);
    }

    private Message message() throws IOException {
        int index = in.readInt();
        if (index < 0 || index >= table.length) {
            throw new IllegalArgumentException("message " + index + " is not in the table of " + table.length);
        }
        return table[index];
    }

    private QoS qos() throws IOException {
        return StateCodec.readQos(in);
    }

    private int count(String what) throws IOException {
        return StateCodec.readCount(in, size, what);
    }

    private String readString() throws IOException {
        return StateCodec.readString(in, size);
    }

    private static void readFully(InputStream source, byte[] target, int length) throws IOException {
        int read = 0;
        while (read < length) {
            int n = source.read(target, read, length - read);
            if (n < 0) {
                throw new EOFException("it ended early (truncated?)");
            }
            read += n;
        }
    }
}
