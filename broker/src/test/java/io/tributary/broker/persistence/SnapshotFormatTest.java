package io.tributary.broker.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.BrokerState;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The snapshot format, version 1: what goes in comes out, and damage is an error, never a wrong state. */
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
            sessions.add(new BrokerState.SessionState("c" + i, 5, 60, 0L, List.of(), List.of(), List.of(),
                    List.of(new BrokerState.Delivery(shared, QoS.AT_LEAST_ONCE, false, List.of())), null));
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
        ByteBuffer.wrap(bytes).putInt(8, 2);
        IOException refused = assertThrows(IOException.class, () -> States.read(bytes));
        assertTrue(refused.getMessage().contains("version 2"), refused.getMessage());
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
