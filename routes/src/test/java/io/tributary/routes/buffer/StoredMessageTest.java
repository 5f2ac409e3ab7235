package io.tributary.routes.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredMessageTest {

    @Test
    void everyFieldARouteMayReadSurvivesTheRoundTrip() throws IOException {
        Message message = new Message("sites/ü/t", "payload".getBytes(StandardCharsets.UTF_8), QoS.EXACTLY_ONCE, true,
                new MessageProperties(true, 3600L, "application/json", "replies/1", new byte[] {1, 2, 3},
                        List.of(new UserProperty("tenant", "a"), new UserProperty("tenant", "b"))),
                "device-1", 1_700_000_000_123L);

        Message back = StoredMessage.decode(StoredMessage.encode(message));

        assertEquals(message.topic(), back.topic());
        assertArrayEquals(message.payload(), back.payload());
        assertEquals(QoS.EXACTLY_ONCE, back.qos());
        assertEquals(true, back.retain());
        assertEquals("device-1", back.publisherId());
        assertEquals(1_700_000_000_123L, back.receivedAtMillis());
        assertEquals(true, back.properties().payloadUtf8());
        assertEquals(3600L, back.properties().messageExpirySeconds());
        assertEquals("application/json", back.properties().contentType());
        assertEquals("replies/1", back.properties().responseTopic());
        assertArrayEquals(new byte[] {1, 2, 3}, back.properties().correlationData());
        assertEquals(message.properties().userProperties(), back.properties().userProperties());
    }

    @Test
    void absentPropertiesStayAbsent() throws IOException {
        Message message = Message.of("t", new byte[0], QoS.AT_LEAST_ONCE, false);

        Message back = StoredMessage.decode(StoredMessage.encode(message));

        assertNull(back.publisherId());
        assertNull(back.properties().messageExpirySeconds());
        assertNull(back.properties().correlationData());
        assertEquals(MessageProperties.NONE.userProperties(), back.properties().userProperties());
        assertEquals(0, back.payload().length);
    }

    @Test
    void theArrivalTimeIsReadWithoutDecoding() {
        Message message = new Message("t", new byte[] {9}, QoS.AT_LEAST_ONCE, false, null, "p", 42_000L);

        assertEquals(42_000L, StoredMessage.receivedAt(StoredMessage.encode(message)));
    }

    @Test
    void aTruncatedValueIsAnErrorNotAMessage() {
        byte[] value = StoredMessage.encode(Message.of("topic", "payload", QoS.AT_LEAST_ONCE, false));

        assertThrows(IOException.class, () -> StoredMessage.decode(Arrays.copyOf(value, value.length - 3)));
    }

    @Test
    void keysSortByRouteThenSequenceAndGiveBothBack() {
        byte[] prefix = BufferKeys.prefix("telemetry");
        byte[] first = BufferKeys.key(prefix, 255);
        byte[] second = BufferKeys.key(prefix, 256);

        assertEquals(-1, Integer.signum(Arrays.compareUnsigned(first, second)));
        assertEquals("telemetry", BufferKeys.route(second));
        assertEquals(256, BufferKeys.sequence(second));
        // "telemetry" and "telemetry-2" do not share a prefix: the zero byte ends a name.
        byte[] other = BufferKeys.key(BufferKeys.prefix("telemetry-2"), 0);
        assertEquals(false, startsWith(other, prefix));
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
