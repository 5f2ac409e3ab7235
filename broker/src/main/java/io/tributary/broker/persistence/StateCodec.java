package io.tributary.broker.persistence;

import io.tributary.broker.BrokerState;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.storage.MessageCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * How a subscription and a session's head are written, the same in the snapshot file and in the store's records;
 * messages, strings and byte arrays as {@link MessageCodec} writes them. Every length read is checked against a limit (the size of what
 * is being read) before anything is allocated, so damaged bytes fail with an error instead of exhausting memory.
 */
final class StateCodec {

    private StateCodec() {
    }

    static void writeMessage(DataOutput out, Message message) throws IOException {
        MessageCodec.write(out, message);
    }

    static Message readMessage(DataInput in, long limit) throws IOException {
        return MessageCodec.read(in, limit);
    }

    /** What every saved session starts with: who it is, its protocol version, expiry and since when offline. */
    static void writeSessionHead(DataOutput out, BrokerState.SessionState session) throws IOException {
        writeString(out, session.clientId());
        out.writeBoolean(session.usernameKnown());
        writeString(out, session.username());
        out.writeByte(session.protocolVersion());
        out.writeLong(session.expirySeconds());
        out.writeLong(session.offlineSinceMillis());
    }

    static void writeSubscription(DataOutput out, BrokerState.SubscriptionState s) throws IOException {
        writeString(out, s.filter());
        out.writeByte(s.maxQos().value());
        out.writeBoolean(s.noLocal());
        out.writeBoolean(s.retainAsPublished());
        out.writeByte(s.retainHandling());
        out.writeInt(s.subscriptionId());
    }

    static BrokerState.SubscriptionState readSubscription(DataInput in, long limit) throws IOException {
        return new BrokerState.SubscriptionState(readString(in, limit), readQos(in), in.readBoolean(),
                in.readBoolean(), in.readUnsignedByte(), in.readInt());
    }

    static QoS readQos(DataInput in) throws IOException {
        int value = in.readUnsignedByte();
        if (value > 2) {
            throw new IllegalArgumentException("QoS " + value);
        }
        return QoS.of(value);
    }

    /** A count of things that each take at least one byte, so never more than {@code limit}. */
    static int readCount(DataInput in, long limit, String what) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > limit) {
            throw new IllegalArgumentException(count + " " + what + " in " + limit + " bytes");
        }
        return count;
    }

    static void writeString(DataOutput out, String value) throws IOException {
        MessageCodec.writeString(out, value);
    }

    static String readString(DataInput in, long limit) throws IOException {
        return MessageCodec.readString(in, limit);
    }

    static byte[] readBytes(DataInput in, long limit) throws IOException {
        return MessageCodec.readBytes(in, limit);
    }
}
