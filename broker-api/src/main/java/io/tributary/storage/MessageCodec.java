package io.tributary.storage;

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
 * How a {@link Message} is written to disk, the same wherever Tributary keeps one (the broker's sessions and
 * retained messages, a route's buffer): big-endian {@code DataOutput} fields; a string or byte array is an int length
 * and its bytes (UTF-8 for strings), -1 for null; payloads stay bytes. Every length read is checked against a limit
 * (the size of what is being read) before anything is allocated, so damaged bytes fail with an error instead of
 * exhausting memory.
 *
 * <pre>
 * message = string topic, bytes payload, byte qos, boolean retain, boolean payloadUtf8,
 *           long messageExpirySeconds (-1: none), string contentType, string responseTopic, bytes correlationData,
 *           int n, (string name, string value) * n, string publisherId (null: in-process), long receivedAtMillis
 * </pre>
 */
public final class MessageCodec {

    private MessageCodec() {
    }

    public static void write(DataOutput out, Message message) throws IOException {
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

    /**
     * @throws IOException if the input ends early
     * @throws IllegalArgumentException if a length, count or value is not valid
     */
    public static Message read(DataInput in, long limit) throws IOException {
        String topic = readString(in, limit);
        byte[] payload = readBytes(in, limit);
        int qos = in.readUnsignedByte();
        if (qos > 2) {
            throw new IllegalArgumentException("QoS " + qos);
        }
        boolean retain = in.readBoolean();
        boolean payloadUtf8 = in.readBoolean();
        long expiry = in.readLong();
        String contentType = readString(in, limit);
        String responseTopic = readString(in, limit);
        byte[] correlationData = readBytes(in, limit);
        int userPropertyCount = in.readInt();
        if (userPropertyCount < 0 || userPropertyCount > limit) {
            throw new IllegalArgumentException(userPropertyCount + " user properties in " + limit + " bytes");
        }
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
        return new Message(topic, payload, QoS.of(qos), retain, properties, publisherId, receivedAt);
    }

    public static void writeString(DataOutput out, String value) throws IOException {
        writeBytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeBytes(DataOutput out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length);
            out.write(value);
        }
    }

    public static String readString(DataInput in, long limit) throws IOException {
        byte[] bytes = readBytes(in, limit);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    public static byte[] readBytes(DataInput in, long limit) throws IOException {
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
