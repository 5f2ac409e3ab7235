package io.tributary.cluster.format;

import io.tributary.broker.BrokerState;
import io.tributary.broker.QoS;
import io.tributary.broker.session.SessionSummary;
import io.tributary.storage.MessageCodec;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes {@code STATE} records of the sessions topic (design §3.2): what one node says of one of its
 * sessions. Keyed {@code state/<clientId>/<epoch>}; a tombstone (null value) says the session ended.
 *
 * <p>The epoch: slice 3 has no claims, so every state is written under epoch {@value #UNCLAIMED}. Slice 4's claims
 * give epochs from 1 up (a claim's offset plus one), and an owner tombstones every older epoch of a client once its
 * first state of a claimed epoch is durable, so the records written now become that "older epoch" and need no
 * migration. The value has the design's layout: the fields this slice does not keep (predecessor, will, cursor,
 * in flight, inbound QoS 2) are written empty.
 *
 * <p>Concurrency: stateless.
 */
public final class SessionRecords {
    /** The epoch of a session that was never claimed: every session in this version. */
    public static final long UNCLAIMED = 0;
    private static final String PREFIX = "state/";

    private SessionRecords() {
    }

    /**
     * One node's word on one of its sessions.
     *
     * @param owner the node the session lives on
     * @param incarnation the owner's start time, which tells one run of a node from the next
     */
    public record State(String owner, long incarnation, long epoch, SessionSummary session) {
    }

    /** The key of {@code clientId}'s state. */
    public static String key(String clientId) {
        return PREFIX + clientId + "/" + UNCLAIMED;
    }

    /** True for the key of a state record. */
    public static boolean isState(String key) {
        return key != null && key.startsWith(PREFIX) && key.lastIndexOf('/') > PREFIX.length() - 1;
    }

    /** The client id of a state key. */
    public static String clientId(String key) {
        return key.substring(PREFIX.length(), key.lastIndexOf('/'));
    }

    public static byte[] encode(State state) {
        SessionSummary session = state.session();
        return RecordFormat.write(RecordFormat.STATE, out -> {
            MessageCodec.writeString(out, state.owner());
            out.writeLong(state.incarnation());
            out.writeLong(state.epoch());
            out.writeLong(-1); // predecessor epoch: a new session (no takeovers in this version)
            out.writeByte(session.protocolVersion());
            MessageCodec.writeString(out, session.username());
            out.writeBoolean(session.username() != null);
            out.writeLong(session.expirySeconds());
            out.writeBoolean(session.connected());
            out.writeBoolean(false); // no will: wills stay on their node in this version
            out.writeInt(session.subscriptions().size());
            for (BrokerState.SubscriptionState s : session.subscriptions()) {
                MessageCodec.writeString(out, s.filter());
                out.writeByte(s.maxQos().value());
                out.writeBoolean(s.noLocal());
                out.writeBoolean(s.retainAsPublished());
                out.writeByte(s.retainHandling());
                out.writeInt(s.subscriptionId());
            }
            out.writeInt(0); // cursor: per messages partition, from slice 4
            out.writeInt(0); // outbound in flight, from slice 4
            out.writeInt(0); // inbound QoS 2 identifiers, from slice 4
        });
    }

    /**
     * The client id comes from the key.
     *
     * @param where the record's topic, partition and offset, as errors name it
     * @throws RecordFormatException if the value is not such a record of this format
     */
    public static State decode(String clientId, byte[] value, String where) {
        DataInputStream in = RecordFormat.read(value, RecordFormat.STATE, where);
        try {
            String owner = MessageCodec.readString(in, value.length);
            long incarnation = in.readLong();
            long epoch = in.readLong();
            in.readLong(); // predecessor
            int protocolVersion = in.readByte();
            String username = MessageCodec.readString(in, value.length);
            in.readBoolean(); // user name known
            long expiry = in.readLong();
            boolean connected = in.readBoolean();
            if (in.readBoolean()) {
                throw new IllegalArgumentException("a will, which this version does not write");
            }
            int count = in.readInt();
            if (count < 0 || count > value.length) {
                throw new IllegalArgumentException(count + " subscriptions in " + value.length + " bytes");
            }
            List<BrokerState.SubscriptionState> subscriptions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String filter = MessageCodec.readString(in, value.length);
                QoS qos = QoS.of(in.readByte());
                boolean noLocal = in.readBoolean();
                boolean retainAsPublished = in.readBoolean();
                int retainHandling = in.readByte();
                int id = in.readInt();
                subscriptions.add(new BrokerState.SubscriptionState(filter, qos, noLocal, retainAsPublished,
                        retainHandling, id));
            }
            if (in.readInt() != 0 || in.readInt() != 0 || in.readInt() != 0) {
                throw new IllegalArgumentException("a cursor or deliveries, which this version does not write");
            }
            if (owner == null) {
                throw new IllegalArgumentException("no owner node");
            }
            return new State(owner, incarnation, epoch, new SessionSummary(clientId, connected, expiry,
                    protocolVersion, username, subscriptions));
        } catch (IOException | IllegalArgumentException e) {
            throw new RecordFormatException(where + ": a STATE record that cannot be read: " + e.getMessage(), e);
        }
    }
}
