package io.tributary.cluster.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import io.tributary.broker.cluster.ShareChoice;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster's record values: round trips, and a format this version cannot read refused with its place. */
class RecordFormatTest {

    private static final String WHERE = "tributary.messages-3 at offset 42";

    @Test
    void aPublishKeepsEveryPartOfItsMessage() {
        MessageProperties properties = new MessageProperties(true, 60L, "application/json", "replies/d1",
                new byte[] {1, 2, 3}, List.of(new UserProperty("trace", "abc")));
        Message message = new Message("devices/d1/commands", "{\"open\":true}".getBytes(StandardCharsets.UTF_8),
                QoS.EXACTLY_ONCE, true, properties, null, 1_700_000_000_123L);

        byte[] value = PublishRecords.encode(message);
        Message read = PublishRecords.decode(value, WHERE);

        assertEquals(RecordFormat.FORMAT, value[0]);
        assertEquals(RecordFormat.PUBLISH, value[1]);
        assertEquals(message.topic(), read.topic());
        assertArrayEquals(message.payload(), read.payload());
        assertEquals(message.qos(), read.qos());
        assertEquals(message.retain(), read.retain());
        assertEquals(message.properties().payloadUtf8(), read.properties().payloadUtf8());
        assertEquals(message.properties().messageExpirySeconds(), read.properties().messageExpirySeconds());
        assertEquals(message.properties().contentType(), read.properties().contentType());
        assertEquals(message.properties().responseTopic(), read.properties().responseTopic());
        assertArrayEquals(message.properties().correlationData(), read.properties().correlationData());
        assertEquals(message.properties().userProperties(), read.properties().userProperties());
        assertEquals(message.publisherId(), read.publisherId());
        assertEquals(message.receivedAtMillis(), read.receivedAtMillis());
    }

    @Test
    void aCheckpointKeepsItsPositions() {
        long[] positions = {0, 17, 4_000_000_000L};
        long[] sessions = {5, 0, 9, 12};
        byte[] value = CheckpointRecords.encode(new CheckpointRecords.Checkpoint(11, 22, sessions, positions));

        CheckpointRecords.Checkpoint read = CheckpointRecords.decode(value, WHERE);

        assertEquals(11, read.incarnation());
        assertEquals(22, read.writtenAtMillis());
        assertArrayEquals(positions, read.messagePositions());
        assertArrayEquals(sessions, read.sessionsPositions());
        assertEquals("node/node-1", CheckpointRecords.key("node-1"));
    }

    @Test
    void aNewerFormatIsRefusedNamingTheRecordsPlace() {
        byte[] value = PublishRecords.encode(Message.of("a", "b", QoS.AT_LEAST_ONCE, false));
        value[0] = 2;

        RecordFormatException refused = assertThrows(RecordFormatException.class,
                () -> PublishRecords.decode(value, WHERE));

        assertTrue(refused.getMessage().startsWith(WHERE), refused.getMessage());
        assertTrue(refused.getMessage().contains("format 2"), refused.getMessage());
        assertTrue(refused.getMessage().contains("newer Tributary"), refused.getMessage());
    }

    @Test
    void anotherKindOrACutRecordIsRefused() {
        byte[] checkpoint = CheckpointRecords.encode(new CheckpointRecords.Checkpoint(1, 2, new long[0],
                new long[] {3}));
        assertThrows(RecordFormatException.class, () -> PublishRecords.decode(checkpoint, WHERE));
        byte[] publish = PublishRecords.encode(Message.of("a", "b", QoS.AT_LEAST_ONCE, false));
        byte[] cut = Arrays.copyOf(publish, publish.length - 5);
        RecordFormatException refused = assertThrows(RecordFormatException.class,
                () -> PublishRecords.decode(cut, WHERE));
        assertTrue(refused.getMessage().startsWith(WHERE), refused.getMessage());
        assertThrows(RecordFormatException.class, () -> PublishRecords.decode(new byte[] {1}, WHERE));
    }

    @Test
    void aRetainedRecordKeepsItsMessageAndIsNoPublish() {
        MessageProperties properties = new MessageProperties(false, null, "text/plain", null, null,
                List.of(new UserProperty("site", "north")));
        Message message = new Message("sites/north/state", "open".getBytes(StandardCharsets.UTF_8),
                QoS.AT_LEAST_ONCE, true, properties, null, 1_700_000_000_456L);

        byte[] value = RetainedRecords.encode(message);
        Message read = RetainedRecords.decode(value, WHERE);

        assertEquals(RecordFormat.FORMAT, value[0]);
        assertEquals(RecordFormat.RETAINED, value[1]);
        assertEquals(message.topic(), read.topic());
        assertArrayEquals(message.payload(), read.payload());
        assertEquals(message.qos(), read.qos());
        assertTrue(read.retain());
        assertEquals(message.properties().contentType(), read.properties().contentType());
        assertEquals(message.properties().userProperties(), read.properties().userProperties());
        assertEquals(message.receivedAtMillis(), read.receivedAtMillis());
        assertThrows(RecordFormatException.class, () -> PublishRecords.decode(value, WHERE));
        assertThrows(RecordFormatException.class, () -> RetainedRecords.decode(
                PublishRecords.encode(message), WHERE));
        byte[] cut = Arrays.copyOf(value, value.length - 3);
        assertThrows(RecordFormatException.class, () -> RetainedRecords.decode(cut, WHERE));
    }

    @Test
    void aShareHeaderKeepsEveryChoiceInOrder() {
        List<ShareChoice> choices = List.of(new ShareChoice("$share/g/jobs/#", "node-2", "worker=1,a"),
                new ShareChoice("$share/g/other/+", "node-3", "w\u00e9-2"),
                new ShareChoice("$share/h/jobs/#", "node-1", ""));

        assertEquals(choices, PublishRecords.decodeShares(PublishRecords.encodeShares(choices), WHERE));
        assertEquals(List.of(), PublishRecords.decodeShares(PublishRecords.encodeShares(List.of()), WHERE));
    }

    @Test
    void aShareHeaderCutShortOrTooLongIsRefusedWithItsPlace() {
        byte[] header = PublishRecords.encodeShares(List.of(new ShareChoice("$share/g/jobs/#", "n", "c1")));
        RecordFormatException cut = assertThrows(RecordFormatException.class,
                () -> PublishRecords.decodeShares(Arrays.copyOf(header, header.length - 1), WHERE));
        assertTrue(cut.getMessage().startsWith(WHERE), cut.getMessage());
        byte[] longer = Arrays.copyOf(header, header.length + 1);
        assertThrows(RecordFormatException.class, () -> PublishRecords.decodeShares(longer, WHERE));
    }
}
