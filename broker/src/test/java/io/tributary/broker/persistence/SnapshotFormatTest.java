package io.tributary.broker.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.BrokerState;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The snapshot format, version 2: what goes in comes out, damage is an error, never a wrong state, and a file of
 * version 1 still reads.
 */
class SnapshotFormatTest {

    @Test
    void everyFieldSurvivesARoundTrip() throws IOException {
        BrokerState state = States.everything();
        assertEquals(States.describe(state), States.describe(States.read(States.write(state))));
    }

    @Test
    void anEmptyStateSurvivesARoundTrip() throws IOException {
        BrokerState empty = new BrokerState(7L, List.of(), List.of());
        assertEquals(States.describe(empty), States.describe(States.read(States.write(empty))));
    }

    @Test
    void aMessageQueuedForManySessionsIsWrittenOnceAndReadBackAsOneInstance() throws IOException {
        Message shared = Message.of("fan/out", new byte[10_000], QoS.AT_LEAST_ONCE, true);
        List<BrokerState.SessionState> sessions = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sessions.add(new BrokerState.SessionState("c" + i, "u" + i, true, 5, 60, 0L, List.of(), List.of(),
                    List.of(), List.of(new BrokerState.Delivery(shared, QoS.AT_LEAST_ONCE, false, List.of())), null));
        }
        byte[] bytes = States.write(new BrokerState(0L, List.of(shared), sessions));
        assertTrue(bytes.length < 2 * 10_000, "the payload was written more than once: " + bytes.length + " bytes");
        BrokerState read = States.read(bytes);
        Message first = read.retained().get(0);
        for (BrokerState.SessionState session : read.sessions()) {
            assertSame(first, session.queued().get(0).message());
        }
    }

    @Test
    void changingAnyByteIsDetected() throws IOException {
        byte[] good = States.write(States.everything());
        for (int i = 0; i < good.length; i++) {
            byte[] damaged = good.clone();
            damaged[i] ^= 0x20;
            int at = i;
            assertThrows(IOException.class, () -> States.read(damaged), () -> "a change at byte " + at + " went unseen");
        }
    }

    @Test
    void aTruncatedFileIsDetectedWhereverItEnds() throws IOException {
        byte[] good = States.write(States.everything());
        for (int length = 0; length < good.length; length++) {
            byte[] truncated = Arrays.copyOf(good, length);
            int at = length;
            assertThrows(IOException.class, () -> States.read(truncated), () -> "truncated to " + at + " bytes");
        }
    }

    @Test
    void anUnknownVersionIsRefusedSayingSo() throws IOException {
        byte[] bytes = States.write(States.everything());
        ByteBuffer.wrap(bytes).putInt(8, 3);
        IOException refused = assertThrows(IOException.class, () -> States.read(bytes));
        assertTrue(refused.getMessage().contains("version 3"), refused.getMessage());
    }

    @Test
    void theUserNameSurvivesARoundTripAndAnonymousIsNotUnknown() throws IOException {
        BrokerState read = States.read(States.write(States.everything()));
        List<String> users = read.sessions().stream()
                .map(s -> s.clientId() + "=" + (s.usernameKnown() ? s.username() : "?")).toList();
        assertEquals(List.of("device-2=alice", "old-device=null", "restored-from-v1=?"), users);
    }

    @Test
    void aVersion1FileIsReadWithItsSessionsUserNamesNotKnown() throws IOException {
        BrokerState read = States.read(version1File(1_000L));
        assertEquals(1_234L, read.savedAtMillis());
        assertEquals("[d1]", read.retained().stream().map(m -> new String(m.payload())).toList().toString());
        assertEquals(1, read.sessions().size());
        BrokerState.SessionState session = read.sessions().get(0);
        assertEquals("d1", session.clientId());
        assertFalse(session.usernameKnown());
        assertEquals(null, session.username());
        assertEquals(5, session.protocolVersion());
        assertEquals(300, session.expirySeconds());
        assertEquals(1_000L, session.offlineSinceMillis());
        assertEquals("devices/d1/commands", session.subscriptions().get(0).filter());
        assertEquals(QoS.AT_LEAST_ONCE, session.subscriptions().get(0).maxQos());
        assertEquals("devices/d1/commands", session.queued().get(0).message().topic());
        assertEquals(List.of(3), session.queued().get(0).subscriptionIds());
    }

    /**
     * A file as version 1 wrote it, laid out by hand from that version's grammar (one retained message, also
     * queued for one session with one subscription, that went offline at {@code offlineSinceMillis} and expires
     * 300 s later), so that this test does not depend on today's writer.
     */
    static byte[] version1File(long offlineSinceMillis) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("TRIBSTAT".getBytes(StandardCharsets.US_ASCII));
        out.writeInt(1);
        out.writeLong(1_234L); // savedAtMillis
        out.writeInt(1); // the message table
        writeString(out, "devices/d1/commands");
        writeString(out, "d1"); // payload
        out.writeByte(1); // qos
        out.writeBoolean(true); // retain
        out.writeBoolean(false); // payloadUtf8
        out.writeLong(-1); // no message expiry
        writeString(out, null); // content type
        writeString(out, null); // response topic
        writeString(out, null); // correlation data
        out.writeInt(0); // user properties
        writeString(out, null); // in-process publisher
        out.writeLong(1_100L); // receivedAtMillis
        out.writeInt(1); // retained
        out.writeInt(0);
        out.writeInt(1); // sessions
        writeString(out, "d1");
        out.writeByte(5);
        out.writeLong(300);
        out.writeLong(offlineSinceMillis);
        out.writeInt(1); // subscriptions
        writeString(out, "devices/d1/commands");
        out.writeByte(1);
        out.writeBoolean(false);
        out.writeBoolean(false);
        out.writeByte(0);
        out.writeInt(3);
        out.writeInt(0); // inbound QoS 2 packet identifiers
        out.writeInt(0); // in flight
        out.writeInt(1); // queued
        out.writeInt(0);
        out.writeByte(1);
        out.writeBoolean(false);
        out.writeInt(1);
        out.writeInt(3);
        out.writeBoolean(false); // no will
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
    }

    @Test
    void aFileOfAnotherKindIsRefusedSayingSo() {
        byte[] other = "PK\u0003\u0004 not a snapshot at all, just some bytes".getBytes();
        IOException refused = assertThrows(IOException.class, () -> States.read(other));
        assertTrue(refused.getMessage().contains("not a Tributary state snapshot"), refused.getMessage());
    }

    @Test
    void aHugeCountInAFileWithAValidChecksumFailsWithoutAllocatingIt() throws IOException {
        // The parser must not trust counts even when the checksum matches (a bug in a writer, say).
        BrokerState empty = new BrokerState(7L, List.of(), List.of());
        byte[] bytes = States.write(empty);
        ByteBuffer.wrap(bytes).putInt(20, Integer.MAX_VALUE); // the message count, after magic, version, time
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
        IOException refused = assertThrows(IOException.class, () -> States.read(bytes));
        assertTrue(refused.getMessage().contains("not valid"), refused.getMessage());
    }
}
