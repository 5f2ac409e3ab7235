package io.tributary.broker.persistence;

import io.tributary.broker.BrokerState;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.UserProperty;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/** Writes a {@link BrokerState} in the layout of {@link SnapshotFormat}. */
final class SnapshotWriter {
    private final DataOutputStream out;
    private final Map<Message, Integer> indexes = new IdentityHashMap<>();
    private final List<Message> table = new ArrayList<>();

    private SnapshotWriter(DataOutputStream out) {
        this.out = out;
    }

    /** Writes {@code state} to {@code target} and flushes it; closing {@code target} is the caller's. */
    static void write(BrokerState state, OutputStream target) throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(target, new CRC32());
        // Buffered above the checksum, so that it is computed over blocks rather than byte by byte.
        SnapshotWriter writer = new SnapshotWriter(new DataOutputStream(new BufferedOutputStream(checked, 1 << 16)));
        writer.writeState(state);
        writer.out.flush();
        new DataOutputStream(target).writeInt((int) checked.getChecksum().getValue());
        target.flush();
    }

    private void writeState(BrokerState state) throws IOException {
        out.write(SnapshotFormat.MAGIC);
        out.writeInt(SnapshotFormat.VERSION);
        out.writeLong(state.savedAtMillis());
        collectMessages(state);
        out.writeInt(table.size());
        for (Message message : table) {
            writeMessage(message);
        }
        out.writeInt(state.retained().size());
        for (Message message : state.retained()) {
            out.writeInt(indexes.get(message));
        }
        out.writeInt(state.sessions().size());
        for (BrokerState.SessionState session : state.sessions()) {
            writeSession(session);
        }
    }

    private void collectMessages(BrokerState state) {
        state.retained().forEach(this::index);
        for (BrokerState.SessionState session : state.sessions()) {
            session.inFlight().forEach(sent -> index(sent.delivery().message()));
            session.queued().forEach(waiting -> index(waiting.message()));
            if (session.will() != null) {
                index(session.will().message());
            }
        }
    }

    private void index(Message message) {
        if (!indexes.containsKey(message)) {
            indexes.put(message, table.size());
            table.add(message);
        }
    }

    private void writeSession(BrokerState.SessionState session) throws IOException {
        StateCodec.writeSessionHead(out, session);
        out.writeInt(session.subscriptions().size());
        for (BrokerState.SubscriptionState s : session.subscriptions()) {
            StateCodec.writeSubscription(out, s);
        }
        out.writeInt(session.inboundQos2PacketIds().size());
        for (int packetId : session.inboundQos2PacketIds()) {
            out.writeShort(packetId);
        }
        out.writeInt(session.inFlight().size());
        for (BrokerState.InFlightDelivery sent : session.inFlight()) {
            out.writeShort(sent.packetId());
            out.writeBoolean(sent.pubrecReceived());
            writeDelivery(sent.delivery());
        }
        out.writeInt(session.queued().size());
        for (BrokerState.Delivery waiting : session.queued()) {
            writeDelivery(waiting);
        }
        out.writeBoolean(session.will() != null);
        if (session.will() != null) {
            out.writeInt(indexes.get(session.will().message()));
            out.writeLong(session.will().delaySeconds());
        }
    }

    private void writeDelivery(BrokerState.Delivery delivery) throws IOException {
        out.writeInt(indexes.get(delivery.message()));
        out.writeByte(delivery.qos().value());
        out.writeBoolean(delivery.retain());
        out.writeInt(delivery.subscriptionIds().size());
        for (int id : delivery.subscriptionIds()) {
            out.writeInt(id);
        }
    }

    private void writeMessage(Message message) throws IOException {
        StateCodec.writeMessage(out, message);
    }

    private void writeString(String value) throws IOException {
        StateCodec.writeString(out, value);
    }
}
