package io.tributary.broker.persistence;

import io.tributary.broker.BrokerState;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How a message, a subscription and the strings and byte arrays inside them are written, the same in the
 * snapshot file and in the store's records. Every length read is checked against a limit (the size of what
 * is being read) before anything is allocated, so damaged bytes fail with an error instead of exhausting memory.
 */
final class StateCodec {

    private StateCodec() {
    }

    static void writeMessage(DataOutput out, Message message) throws IOException {
        writeString(out, message.topic());
        writeBytes(out, message.payload());
        out.writeByte(message.qos().value());
        out.writeBoolean(message.retain());
        MessageProperties properties = message.properties();
        out.writeBoolean(properties.payloadUtf8());
        out.writeLong(properties.messageExpirySeconds() == null ? -1 : properties.messageExpirySeconds());
        writeString(out, properties.contentType());
        writeString(out, properties.responseTopic());
        writeBytes(out, properties.correlationData());
        out.writeInt(properties.userProperties().size());
        for (UserProperty property : properties.userProperties()) {
            writeString(out, property.name());
            writeString(out, property.value());
        }
        writeString(out, message.publisherId());
        out.writeLong(message.receivedAtMillis());
    }

    static Message readMessage(DataInput in, long limit) throws IOException {
        String topic = readString(in, limit);
        byte[] payload = readBytes(in, limit);
        QoS qos = readQos(in);
        boolean retain = in.readBoolean();
        boolean payloadUtf8 = in.readBoolean();
        long expiry = in.readLong();
        String contentType = readString(in, limit);
        String responseTopic = readString(in, limit);
        byte[] correlationData = readBytes(in, limit);
        int userPropertyCount = readCount(in, limit, "user properties");
        List<UserProperty> userProperties = new ArrayList<>(Math.min(userPropertyCount, 64));
        for (int i = 0; i < userPropertyCount; i++) {
            userProperties.add(new UserProperty(readString(in, limit), readString(in, limit)));
        }
        MessageProperties properties = new MessageProperties(payloadUtf8, expiry == -1 ? null : expiry, contentType,
                responseTopic, correlationData, userProperties);
        String publisherId = readString(in, limit);
        long receivedAt = in.readLong();
        if (topic == null || payload == null) {
            throw new IllegalArgumentException("a message without a topic or payload");
        }
        return new Message(topic, payload, qos, retain, properties, publisherId, receivedAt);
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
        writeBytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    static void writeBytes(DataOutput out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length);
            out.write(value);
        }
    }

    static String readString(DataInput in, long limit) throws IOException {
        byte[] bytes = readBytes(in, limit);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] readBytes(DataInput in, long limit) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > limit) {
            throw new IllegalArgumentException("a length of " + length + " in " + limit + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
