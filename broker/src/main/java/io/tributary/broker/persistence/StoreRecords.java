package io.tributary.broker.persistence;

import io.tributary.broker.BrokerState;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.delivery.OutboundMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The values stored under {@link StoreKeys}, each starting with a format version byte. A queued message starts
 * with a fixed header (packet identifier, PUBREC received, size) so that a restart can count a session's queue
 * without decoding its messages.
 */
final class StoreRecords {
    static final int VERSION = 1;
    /** Bytes before the message in a queued record: version, packet id, released, size, expires at, QoS, retain. */
    private static final int QUEUED_HEADER = 1 + 2 + 1 + 8 + 8 + 1 + 1;

    private StoreRecords() {
    }

    /** A queued or in-flight message as read back; {@code packetId} 0 while it waits to be sent. */
    record Queued(int packetId, boolean released, long size, OutboundMessage message) {
    }

    static byte[] queued(OutboundMessage message, int packetId, boolean released) {
        return write(out -> {
            out.writeByte(VERSION);
            out.writeShort(packetId);
            out.writeBoolean(released);
            out.writeLong(message.queuedSize());
            Long expiry = message.message().properties().messageExpirySeconds();
            out.writeLong(expiry == null ? Long.MAX_VALUE : message.message().receivedAtMillis() + expiry * 1000L);
            out.writeByte(message.qos().value());
            out.writeBoolean(message.retain());
            out.writeInt(message.subscriptionIds().length);
            for (int id : message.subscriptionIds()) {
                out.writeInt(id);
            }
            StateCodec.writeMessage(out, message.message());
        });
    }

    /** The packet identifier of a queued record, 0 if not sent, without decoding the rest. */
    static int packetIdOf(byte[] value) {
        checkVersion(value);
        return ((value[1] & 0xFF) << 8) | (value[2] & 0xFF);
    }

    /** The size (payload and topic) of a queued record's message, without decoding it. */
    static long sizeOf(byte[] value) {
        checkVersion(value);
        return longAt(value, 4);
    }

    /** When a queued record's message expires (Long.MAX_VALUE: never), without decoding it. */
    static long expiresAtOf(byte[] value) {
        checkVersion(value);
        return longAt(value, 12);
    }

    private static long longAt(byte[] value, int offset) {
        if (value.length < offset + 8) {
            throw new IllegalArgumentException("a record of " + value.length + " bytes");
        }
        long result = 0;
        for (int i = offset; i < offset + 8; i++) {
            result = (result << 8) | (value[i] & 0xFF);
        }
        return result;
    }

    static Queued readQueued(byte[] value) throws IOException {
        checkVersion(value);
        if (value.length < QUEUED_HEADER) {
            throw new IOException("a queued message record of " + value.length + " bytes");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(value, 1, value.length - 1));
        int packetId = in.readUnsignedShort();
        boolean released = in.readBoolean();
        long size = in.readLong();
        in.readLong(); // expires at: the message says it too
        QoS qos = StateCodec.readQos(in);
        boolean retain = in.readBoolean();
        int idCount = StateCodec.readCount(in, value.length, "subscription identifiers");
        int[] ids = idCount == 0 ? OutboundMessage.NO_IDS : new int[idCount];
        for (int i = 0; i < idCount; i++) {
            ids[i] = in.readInt();
        }
        Message message = StateCodec.readMessage(in, value.length);
        return new Queued(packetId, released, size, new OutboundMessage(message, qos, retain, ids));
    }

    static byte[] session(BrokerState.SessionState session) {
        return write(out -> {
            out.writeByte(VERSION);
            StateCodec.writeSessionHead(out, session);
            out.writeInt(session.subscriptions().size());
            for (BrokerState.SubscriptionState s : session.subscriptions()) {
                StateCodec.writeSubscription(out, s);
            }
            out.writeBoolean(session.will() != null);
            if (session.will() != null) {
                StateCodec.writeMessage(out, session.will().message());
                out.writeLong(session.will().delaySeconds());
            }
        });
    }

    /** A session's description, with no deliveries or inbound identifiers (those are records of their own). */
    static BrokerState.SessionState readSession(byte[] value) throws IOException {
        checkVersion(value);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(value, 1, value.length - 1));
        long limit = value.length;
        String clientId = StateCodec.readString(in, limit);
        boolean usernameKnown = in.readBoolean();
        String username = StateCodec.readString(in, limit);
        int protocolVersion = in.readUnsignedByte();
        long expirySeconds = in.readLong();
        long offlineSince = in.readLong();
        int count = StateCodec.readCount(in, limit, "subscriptions");
        List<BrokerState.SubscriptionState> subscriptions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            subscriptions.add(StateCodec.readSubscription(in, limit));
        }
        BrokerState.WillState will = in.readBoolean()
                ? new BrokerState.WillState(StateCodec.readMessage(in, limit), in.readLong()) : null;
        return new BrokerState.SessionState(clientId, username, usernameKnown, protocolVersion, expirySeconds,
                offlineSince, subscriptions, List.of(), List.of(), List.of(), will);
    }

    static byte[] message(Message message) {
        return write(out -> {
            out.writeByte(VERSION);
            StateCodec.writeMessage(out, message);
        });
    }

    static Message readMessage(byte[] value) throws IOException {
        checkVersion(value);
        return StateCodec.readMessage(new DataInputStream(new ByteArrayInputStream(value, 1, value.length - 1)),
                value.length);
    }

    private static void checkVersion(byte[] value) {
        if (value.length == 0 || value[0] != VERSION) {
            throw new IllegalArgumentException("a record of format " + (value.length == 0 ? "(empty)" : value[0])
                    + ", this Tributary reads format " + VERSION);
        }
    }

    private interface Writing {
        void to(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writing writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writing.to(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }
}
