package io.tributary.cluster.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.BrokerState.SubscriptionState;
import io.tributary.broker.QoS;
import io.tributary.broker.session.SessionSummary;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code STATE} records of the sessions table: round trip, keys, and what a reader refuses. */
class SessionRecordsTest {
    private static final String WHERE = "tributary.sessions-7 at offset 3";

    @Test
    void aStateKeepsOwnerConnectionAndEverySubscriptionOption() {
        SessionSummary session = new SessionSummary("dev/1", true, 3600, 5, "alice", List.of(
                new SubscriptionState("resp/dev/1", QoS.EXACTLY_ONCE, true, true, 2, 268_435_455),
                new SubscriptionState("$share/g/tele/#", QoS.AT_MOST_ONCE, false, false, 0, 0)));

        byte[] value = SessionRecords.encode(new SessionRecords.State("node-2", 99, SessionRecords.UNCLAIMED,
                session));
        SessionRecords.State read = SessionRecords.decode("dev/1", value, WHERE);

        assertEquals(RecordFormat.FORMAT, value[0]);
        assertEquals(RecordFormat.STATE, value[1]);
        assertEquals("node-2", read.owner());
        assertEquals(99, read.incarnation());
        assertEquals(SessionRecords.UNCLAIMED, read.epoch());
        assertEquals(session, read.session());
        assertTrue(read.session().persistent());
    }

    @Test
    void aCleanOfflineSessionWithoutUserNameRoundTrips() {
        SessionSummary session = new SessionSummary("c", false, 0, 4, null,
                List.of(new SubscriptionState("a/+", QoS.AT_LEAST_ONCE, false, false, 0, 0)));

        SessionRecords.State read = SessionRecords.decode("c", SessionRecords.encode(
                new SessionRecords.State("n", 1, 0, session)), WHERE);

        assertEquals(session, read.session());
        assertFalse(read.session().persistent());
        assertNull(read.session().username());
    }

    @Test
    void theKeyNamesTheClientAndTheUnclaimedEpoch() {
        String key = SessionRecords.key("dev/with/slashes");

        assertEquals("state/dev/with/slashes/0", key);
        assertTrue(SessionRecords.isState(key));
        assertEquals("dev/with/slashes", SessionRecords.clientId(key));
        assertFalse(SessionRecords.isState("node/node-1"));
    }

    @Test
    void aNewerFormatAnotherKindOrACutStateIsRefused() {
        byte[] value = SessionRecords.encode(new SessionRecords.State("n", 1, 0, new SessionSummary("c", true, 0, 5,
                null, List.of(new SubscriptionState("a", QoS.AT_MOST_ONCE, false, false, 0, 0)))));
        byte[] newer = value.clone();
        newer[0] = 2;

        RecordFormatException refused = assertThrows(RecordFormatException.class,
                () -> SessionRecords.decode("c", newer, WHERE));
        assertTrue(refused.getMessage().startsWith(WHERE), refused.getMessage());
        assertTrue(refused.getMessage().contains("newer Tributary"), refused.getMessage());
        assertThrows(RecordFormatException.class, () -> SessionRecords.decode("c",
                CheckpointRecords.encode(new CheckpointRecords.Checkpoint(1, 2, new long[0], new long[0])), WHERE));
        assertThrows(RecordFormatException.class,
                () -> SessionRecords.decode("c", Arrays.copyOf(value, value.length - 4), WHERE));
    }
}
