package io.tributary.routes.buffer;

import io.tributary.broker.Message;
import io.tributary.storage.MessageCodec;
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
 * A message as a buffer stores it: everything a route's mapping may read. Version 1: a version byte, the arrival
 * time (8 bytes, big-endian, so that a scan can read it alone), then the message as {@link MessageCodec} writes it
 * (the broker's store writes messages the same way).
 */
final class StoredMessage {

    private static final byte VERSION = 1;
    /** Where the arrival time is: right after the version byte, so that a scan can read it alone. */
    private static final int RECEIVED_AT_OFFSET = 1;

    private StoredMessage() {
    }

    static byte[] encode(Message message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96 + message.payload().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(message.receivedAtMillis());
            MessageCodec.write(out, message);
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
            in.readLong(); // the arrival time, which the message holds too
            return MessageCodec.read(in, value.length);
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
}
