package io.tributary.broker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.QueueFullPolicy;
import io.tributary.broker.SlowSubscribers;
import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.session.FakeLink.Written;
import io.tributary.broker.stats.BrokerCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The delivery state machine of one {@link Session}, without sockets. */
class SessionTest {
    private final BrokerCounters counters = new BrokerCounters();
    private final FakeLink link = new FakeLink();

    @AfterEach
    void closeLink() {
        link.close();
    }

    private Session session(int maxQueued, int maxInFlight, QueueFullPolicy policy) {
        return new Session("client", new SessionLimits(maxQueued, maxInFlight, policy), counters);
    }

    private static OutboundMessage message(String payload, QoS qos) {
        return new OutboundMessage(Message.of("t/" + payload, payload, qos, false), qos, false, OutboundMessage.NO_IDS);
    }

    private static List<Integer> ids(List<Written> written) {
        List<Integer> ids = new ArrayList<>();
        written.forEach(w -> ids.add(w.packetId()));
        return ids;
    }

    private static List<String> payloads(List<Written> written) {
        List<String> payloads = new ArrayList<>();
        written.forEach(w -> payloads.add(w.payload()));
        return payloads;
    }

    @Test
    void packetIdsWrapAfter65535AndSkipIdsStillInFlight() {
        Session session = session(70_000, 65_535, QueueFullPolicy.DROP_NEW);
        session.attach(link);
        link.run();
        // Ids 1, 2 and 3; 1 and 3 stay unacknowledged for the whole test.
        for (String p : List.of("a", "b", "c")) {
            session.offer(message(p, QoS.AT_LEAST_ONCE), null);
        }
        link.run();
        assertEquals(List.of(1, 2, 3), ids(link.take()));
        session.onPuback(2);

        // Cycle through the rest of the id space: 4 .. 65535, each acknowledged.
        int expected = 4;
        while (expected <= 65_535) {
            int batch = Math.min(1000, 65_536 - expected);
            for (int i = 0; i < batch; i++) {
                session.offer(message("m", QoS.AT_LEAST_ONCE), null);
            }
            link.run();
            List<Written> written = link.take();
            assertEquals(batch, written.size());
            for (Written w : written) {
                assertEquals(expected++, w.packetId());
                session.onPuback(w.packetId());
            }
        }
        // After 65535 the next id is 1 again, but 1 and 3 are in flight: a new id must not be in use [MQTT-2.2.1-3].
        for (int i = 0; i < 3; i++) {
            session.offer(message("wrapped" + i, QoS.EXACTLY_ONCE), null);
        }
        link.run();
        assertEquals(List.of(2, 4, 5), ids(link.take()));
        assertEquals(5, session.inFlightCount());
    }

    @Test
    void inFlightWindowHonoursTheClientsReceiveMaximum() {
        Session session = session(100, 10, QueueFullPolicy.DROP_NEW);
        link.receiveMaximum = 2;
        session.attach(link);
        for (int i = 1; i <= 5; i++) {
            session.offer(message("m" + i, QoS.AT_LEAST_ONCE), null);
        }
        link.run();
        // No more than Receive Maximum QoS 1/2 PUBLISH packets unacknowledged [MQTT-3.3.4-9].
        assertEquals(List.of("m1", "m2"), payloads(link.take()));
        assertEquals(2, session.inFlightCount());
        assertEquals(3, session.queuedCount());

        session.onPuback(1);
        link.run();
        assertEquals(List.of("m3"), payloads(link.take()));
        session.onPubrec(2, false);
        link.run();
        assertTrue(link.take().isEmpty(), "a PUBREC'd QoS 2 message still holds its slot until PUBCOMP");
        session.onPubcomp(2);
        link.run();
        assertEquals(List.of("m4"), payloads(link.take()));
    }

    @Test
    void serverMaxInFlightCapsALargerReceiveMaximum() {
        Session session = session(100, 3, QueueFullPolicy.DROP_NEW);
        link.receiveMaximum = 100;
        session.attach(link);
        for (int i = 1; i <= 5; i++) {
            session.offer(message("m" + i, QoS.EXACTLY_ONCE), null);
        }
        link.run();
        assertEquals(3, link.take().size());
        assertEquals(2, session.queuedCount());
    }

    @Test
    void qos0MessagesDoNotTakeInFlightSlots() {
        Session session = session(100, 1, QueueFullPolicy.DROP_NEW);
        session.attach(link);
        session.offer(message("q1", QoS.AT_LEAST_ONCE), null);
        session.offer(message("q0a", QoS.AT_MOST_ONCE), null);
        link.run();
        List<Written> written = link.take();
        assertEquals(List.of("q1", "q0a"), payloads(written));
        assertEquals(0, written.get(1).packetId(), "a QoS 0 PUBLISH has no packet id [MQTT-2.2.1-2]");
        assertEquals(1, session.inFlightCount());
    }

    @Test
    void offlineQueueWithDropNewKeepsTheFirstMessages() {
        Session session = session(3, 10, QueueFullPolicy.DROP_NEW);
        for (int i = 1; i <= 5; i++) {
            session.offer(message("m" + i, QoS.AT_LEAST_ONCE), null);
        }
        assertEquals(3, session.queuedCount());
        assertEquals(2, counters.droppedQueueFull.sum());
        assertEquals(3, counters.queued.sum());
        session.attach(link);
        link.run();
        assertEquals(List.of("m1", "m2", "m3"), payloads(link.take()));
        assertEquals(0, counters.queued.sum());
    }

    @Test
    void offlineQueueWithDropOldestKeepsTheLastMessages() {
        Session session = session(3, 10, QueueFullPolicy.DROP_OLDEST);
        for (int i = 1; i <= 5; i++) {
            session.offer(message("m" + i, QoS.EXACTLY_ONCE), null);
        }
        assertEquals(2, counters.droppedQueueFull.sum());
        assertEquals(3, counters.queued.sum());
        session.attach(link);
        link.run();
        assertEquals(List.of("m3", "m4", "m5"), payloads(link.take()));
    }

    @Test
    void offlineSessionDoesNotQueueQos0() {
        Session session = session(3, 10, QueueFullPolicy.DROP_NEW);
        session.offer(message("q0", QoS.AT_MOST_ONCE), null);
        session.offer(message("q1", QoS.AT_LEAST_ONCE), null);
        assertEquals(1, session.queuedCount());
        session.attach(link);
        link.run();
        assertEquals(List.of("q1"), payloads(link.take()));
    }

    @Test
    void detachDropsQueuedQos0AndKeepsQos1() {
        Session session = session(10, 10, QueueFullPolicy.DROP_NEW);
        link.writable = false;
        session.attach(link);
        session.offer(message("q0", QoS.AT_MOST_ONCE), null);
        session.offer(message("q1", QoS.AT_LEAST_ONCE), null);
        link.run();
        assertEquals(2, session.queuedCount());
        assertTrue(session.detach(link));
        assertEquals(1, session.queuedCount());
        assertEquals(1, counters.queued.sum());
    }

    @Test
    void qos0IsDroppedWhenTheOnlineQueueIsFull() {
        Session session = session(3, 10, QueueFullPolicy.DROP_NEW);
        link.writable = false;
        session.attach(link);
        session.offer(message("q0-kept", QoS.AT_MOST_ONCE), null);
        session.offer(message("m1", QoS.AT_LEAST_ONCE), null);
        session.offer(message("m2", QoS.AT_LEAST_ONCE), null);
        link.run();
        assertEquals(3, session.queuedCount());
        session.offer(message("q0-dropped", QoS.AT_MOST_ONCE), null);
        assertEquals(3, session.queuedCount());
        assertEquals(1, counters.droppedQos0.sum());
        assertEquals(0, counters.droppedQueueFull.sum(), "an online session never drops QoS 1/2");

        link.writable = true;
        session.resumeWriting();
        link.run();
        assertEquals(List.of("q0-kept", "m1", "m2"), payloads(link.take()));
    }

    @Test
    void publisherIsPausedWhenTheQueueIsFullAndResumedAtHalf() {
        Session session = session(4, 10, QueueFullPolicy.DROP_NEW);
        link.receiveMaximum = 2;
        link.writable = false;
        session.attach(link);
        CountingPublisher publisher = new CountingPublisher();
        for (int i = 1; i <= 4; i++) {
            session.offer(message("m" + i, QoS.AT_LEAST_ONCE), publisher);
        }
        assertEquals(0, publisher.pauses.get(), "paused before the queue was full");
        // Full: the QoS 1 message is still taken (never dropped online) and its publisher is paused, once.
        session.offer(message("m5", QoS.AT_LEAST_ONCE), publisher);
        session.offer(message("m6", QoS.AT_LEAST_ONCE), publisher);
        assertEquals(6, session.queuedCount());
        assertEquals(1, publisher.pauses.get());
        assertFalse(session.isReadyForShared());

        link.writable = true;
        session.resumeWriting();
        link.run();
        assertEquals(2, link.take().size()); // the window is 2: 4 left queued, above half of 4
        assertEquals(0, publisher.resumes.get());
        session.onPuback(1);
        link.run();
        assertEquals(3, session.queuedCount());
        assertEquals(0, publisher.resumes.get(), "resumed above half of the queue bound");
        session.onPuback(2);
        link.run();
        assertEquals(2, session.queuedCount());
        assertEquals(1, publisher.resumes.get(), "not resumed at half of the queue bound");
    }

    private static final Duration STUCK_TIMEOUT = Duration.ofSeconds(10);

    private Session slowSubscriberSession(int maxQueued, QueueFullPolicy policy, SlowSubscribers.Qos0WhenFull qos0) {
        return new Session("client", new SessionLimits(maxQueued, Integer.MAX_VALUE, 10, policy, Integer.MAX_VALUE,
                new SlowSubscribers(qos0, STUCK_TIMEOUT)), counters);
    }

    @Test
    void qos0PublisherIsPausedNotDroppedWhenTheOnlineQueueIsFull() {
        Session session = slowSubscriberSession(2, QueueFullPolicy.DROP_NEW, SlowSubscribers.Qos0WhenFull.PAUSE);
        link.writable = false;
        session.attach(link);
        CountingPublisher publisher = new CountingPublisher();
        for (int i = 1; i <= 3; i++) {
            session.offer(message("q" + i, QoS.AT_MOST_ONCE), publisher);
        }
        assertEquals(3, session.queuedCount(), "a QoS 0 message past the bound is kept while its publisher waits");
        assertEquals(1, publisher.pauses.get());
        assertEquals(0, counters.droppedQos0.sum());

        link.writable = true;
        session.resumeWriting();
        link.run();
        assertEquals(List.of("q1", "q2", "q3"), payloads(link.take()));
        assertEquals(1, publisher.resumes.get());
    }

    @Test
    void qos0IsDroppedAndItsPublisherGoesOnWithTheDropSetting() {
        Session session = slowSubscriberSession(2, QueueFullPolicy.DROP_NEW, SlowSubscribers.Qos0WhenFull.DROP);
        link.writable = false;
        session.attach(link);
        CountingPublisher publisher = new CountingPublisher();
        for (int i = 1; i <= 3; i++) {
            session.offer(message("q" + i, QoS.AT_MOST_ONCE), publisher);
        }
        assertEquals(2, session.queuedCount());
        assertEquals(0, publisher.pauses.get());
        assertEquals(1, counters.droppedQos0.sum());
    }

    @Test
    void cleanSessionThatTakesNothingForTheTimeoutIsDisconnected() {
        Session session = slowSubscriberSession(1, QueueFullPolicy.DROP_NEW, SlowSubscribers.Qos0WhenFull.PAUSE);
        link.writable = false;
        session.attach(link);
        CountingPublisher publisher = new CountingPublisher();
        session.offer(message("m1", QoS.AT_LEAST_ONCE), publisher);
        session.offer(message("m2", QoS.AT_LEAST_ONCE), publisher);
        assertEquals(1, publisher.pauses.get());

        link.advance(STUCK_TIMEOUT.minusSeconds(1));
        assertNull(link.closedStuck, "closed before the timeout");
        link.advance(Duration.ofSeconds(1));
        assertNotNull(link.closedStuck, "a client that took nothing for the timeout still holds its publishers");
        assertTrue(link.closedStuck.contains("took nothing"), link.closedStuck);
        assertEquals(1, counters.stuckSubscribers.sum());
        session.detach(link); // as the closed connection does
        assertEquals(1, publisher.resumes.get());
    }

    @Test
    void slowSubscriberThatTakesMessagesIsNotCutOff() {
        Session session = slowSubscriberSession(2, QueueFullPolicy.DROP_NEW, SlowSubscribers.Qos0WhenFull.PAUSE);
        link.receiveMaximum = 1;
        session.attach(link);
        link.run();
        CountingPublisher publisher = new CountingPublisher();
        for (int i = 1; i <= 4; i++) {
            session.offer(message("m" + i, QoS.AT_LEAST_ONCE), publisher);
        }
        link.run();
        assertEquals(1, link.take().size(), "the client's window is one message");
        assertEquals(1, publisher.pauses.get());

        link.advance(STUCK_TIMEOUT.minusSeconds(2));
        session.onPuback(1); // progress: the client took one more
        link.run();
        link.advance(Duration.ofSeconds(2));
        assertNull(link.closedStuck, "cut off although it took a message within the timeout");

        link.advance(STUCK_TIMEOUT);
        assertNotNull(link.closedStuck, "then nothing for a whole timeout: stuck");
    }

    @Test
    void persistentSessionFoundStuckDropsByItsPolicyAndLetsItsPublishersGo() {
        Session session = slowSubscriberSession(2, QueueFullPolicy.DROP_NEW, SlowSubscribers.Qos0WhenFull.PAUSE);
        session.expirySeconds = 3600;
        link.writable = false;
        session.attach(link);
        CountingPublisher publisher = new CountingPublisher();
        for (int i = 1; i <= 3; i++) {
            session.offer(message("m" + i, QoS.AT_LEAST_ONCE), publisher);
        }
        assertEquals(1, publisher.pauses.get());

        link.advance(STUCK_TIMEOUT);
        assertNull(link.closedStuck, "a persistent session is kept");
        assertEquals(1, publisher.resumes.get());
        session.offer(message("m4", QoS.AT_LEAST_ONCE), publisher);
        assertEquals(3, session.queuedCount(), "dropped by drop-new instead of queued");
        assertEquals(1, counters.droppedQueueFull.sum());
        assertEquals(1, publisher.pauses.get(), "not paused again");

        link.writable = true;
        session.resumeWriting();
        link.run();
        assertEquals(List.of("m1", "m2", "m3"), payloads(link.take()));
    }

    @Test
    void detachResumesPausedPublishers() {
        Session session = session(1, 10, QueueFullPolicy.DROP_NEW);
        link.writable = false;
        session.attach(link);
        CountingPublisher publisher = new CountingPublisher();
        session.offer(message("m1", QoS.AT_LEAST_ONCE), publisher);
        session.offer(message("m2", QoS.AT_LEAST_ONCE), publisher);
        assertEquals(1, publisher.pauses.get());
        session.detach(link);
        assertEquals(1, publisher.resumes.get());
    }

    @Test
    void reattachResendsInFlightPublishWithDupAndPubrelForReleasedQos2() {
        Session session = session(10, 10, QueueFullPolicy.DROP_NEW);
        session.attach(link);
        session.offer(message("q1", QoS.AT_LEAST_ONCE), null);
        session.offer(message("q2", QoS.EXACTLY_ONCE), null);
        session.offer(message("q2-released", QoS.EXACTLY_ONCE), null);
        link.run();
        assertEquals(List.of(1, 2, 3), ids(link.take()));
        assertTrue(session.onPubrec(3, false) != null);
        assertTrue(session.detach(link));

        FakeLink next = new FakeLink();
        try {
            session.attach(next);
            session.offer(message("new", QoS.AT_LEAST_ONCE), null);
            next.run();
            List<Written> written = next.take();
            // In-flight first, original ids, DUP set; PUBREL (not PUBLISH) for the PUBREC'd one [MQTT-4.4.0-1].
            assertEquals(new Written("PUBLISH", 1, true, written.get(0).message()), written.get(0));
            assertEquals(new Written("PUBLISH", 2, true, written.get(1).message()), written.get(1));
            assertEquals(new Written("PUBREL", 3, false, null), written.get(2));
            assertEquals("new", written.get(3).payload());
            assertFalse(written.get(3).duplicate());
            assertEquals(4, written.get(3).packetId());
            assertEquals(4, written.size());
        } finally {
            next.close();
        }
    }

    @Test
    void detachOfALinkNoLongerAttachedIsIgnored() {
        Session session = session(10, 10, QueueFullPolicy.DROP_NEW);
        FakeLink newer = new FakeLink();
        try {
            session.attach(link);
            session.attach(newer);
            assertFalse(session.detach(link), "the old link of a takeover must not detach the new one");
            assertEquals(newer, session.link());
        } finally {
            newer.close();
        }
    }
}
