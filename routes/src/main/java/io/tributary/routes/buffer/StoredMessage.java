package io.tributary.routes.buffer;

import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A message as a buffer stores it: everything a route's mapping may read (topic, payload, QoS, retain, publisher,
 * time of arrival, MQTT 5 properties). Version 1, big-endian: version byte, arrival time (8 bytes), QoS (1),
 * retain (1), publisher (string or absent), topic (string), payload (bytes), payload-is-UTF-8 (1), expiry
 * (presence byte and 8 bytes), content type, response topic (strings or absent), correlation data (bytes or
 * absent), user properties (count, then name and value strings). Bytes are a 4-byte length and the bytes;
 * a string is its UTF-8 bytes; absent is length -1.
 */
final class StoredMessage {

    private static final byte VERSION = 1;
    /** Where the arrival time is: right after the version byte, so that a scan can read it alone. */
    private static final int RECEIVED_AT_OFFSET = 1;

    private StoredMessage() {
    }

    static byte[] encode(Message message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + message.payload().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(message.receivedAtMillis());
            out.writeByte(message.qos().value());
            out.writeBoolean(message.retain());
            writeString(out, message.publisherId());
            writeString(out, message.topic());
            writeBytes(out, message.payload());
            MessageProperties properties = message.properties();
            out.writeBoolean(properties.payloadUtf8());
            out.writeBoolean(properties.messageExpirySeconds() != null);
            out.writeLong(properties.messageExpirySeconds() == null ? 0 : properties.messageExpirySeconds());
            writeString(out, properties.contentType());
            writeString(out, properties.responseTopic());
            writeBytes(out, properties.correlationData());
            out.writeInt(properties.userProperties().size());
            for (UserProperty property : properties.userProperties()) {
                writeString(out, property.name());
                writeString(out, property.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws IOException if {@code value} is not a message this version wrote */
    static Message decode(byte[] value) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int version = in.readByte();
            if (version != VERSION) {
                throw new IOException("unknown buffered message version " + version);
            }
            long receivedAt = in.readLong();
            QoS qos = QoS.of(in.readByte());
            boolean retain = in.readBoolean();
            String publisher = readString(in);
            String topic = readString(in);
            byte[] payload = readBytes(in);
            boolean utf8 = in.readBoolean();
            boolean hasExpiry = in.readBoolean();
            long expiry = in.readLong();
            String contentType = readString(in);
            String responseTopic = readString(in);
            byte[] correlation = readBytes(in);
            int count = in.readInt();
            if (count < 0 || count > value.length) {
                throw new IOException("bad user property count " + count);
            }
            List<UserProperty> properties = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                properties.add(new UserProperty(readString(in), readString(in)));
            }
            if (topic == null || payload == null) {
                throw new IOException("a buffered message without topic or payload");
            }
            return new Message(topic, payload, qos, retain, new MessageProperties(utf8, hasExpiry ? expiry : null,
                    contentType, responseTopic, correlation, properties), publisher, receivedAt);
        } catch (RuntimeException e) {
            throw new IOException("a damaged buffered message: " + e.getMessage(), e);
        }
    }

    /** When the message of {@code value} arrived, without decoding the rest; 0 if it cannot be told. */
    static long receivedAt(byte[] value) {
        if (value.length < RECEIVED_AT_OFFSET + Long.BYTES || value[0] != VERSION) {
            return 0;
        }
        long millis = 0;
        for (int i = RECEIVED_AT_OFFSET; i < RECEIVED_AT_OFFSET + Long.BYTES; i++) {
            millis = (millis << 8) | (value[i] & 0xFF);
        }
        return millis;
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        writeBytes(out, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = readBytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.available()) {
            throw new IOException("bad length " + length);
        }
        return in.readNBytes(length);
    }
}
