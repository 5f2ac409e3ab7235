package io.tributary.broker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.QueueFullPolicy;
import io.tributary.broker.SlowSubscribers;
import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.stats.BrokerCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The broker-wide bound on what all sessions queue: sessions sharing one {@link QueueBudget}, without sockets. */
class QueueBudgetTest {
    /** What one test message ("t/m1" and "m1": 6 bytes) counts against the budget. */
    private static final long COST = QueueBudget.cost(6);
    private static final Duration STUCK_TIMEOUT = Duration.ofSeconds(10);

    private final BrokerCounters counters = new BrokerCounters();
    /** Room for three messages: full once they are queued. */
    private final QueueBudget budget = new QueueBudget(3 * COST, counters);
    private final List<FakeLink> links = new ArrayList<>();

    @AfterEach
    void closeLinks() {
        links.forEach(FakeLink::close);
    }

    private Session session(String id, QueueFullPolicy policy, SlowSubscribers.Qos0WhenFull qos0) {
        SessionLimits limits = new SessionLimits(1000, Integer.MAX_VALUE, 10, policy, Integer.MAX_VALUE,
                new SlowSubscribers(qos0, STUCK_TIMEOUT), budget.maxBytes());
        return new Session(id, limits, counters, budget);
    }

    private Session session(String id) {
        return session(id, QueueFullPolicy.DROP_NEW, SlowSubscribers.Qos0WhenFull.PAUSE);
    }

    private FakeLink link(boolean writable) {
        FakeLink link = new FakeLink();
        link.writable = writable;
        links.add(link);
        return link;
    }

    private static OutboundMessage message(String payload, QoS qos) {
        return new OutboundMessage(Message.of("t/" + payload, payload, qos, false), qos, false, OutboundMessage.NO_IDS);
    }

    /** Fills the budget with three messages queued for a client that reads nothing. */
    private FakeLink fillBudget(Session slow) {
        FakeLink slowLink = link(false);
        slow.attach(slowLink);
        slowLink.run();
        for (String p : List.of("a1", "a2", "a3")) {
            slow.offer(message(p, QoS.AT_LEAST_ONCE), null);
        }
        assertEquals(3 * COST, budget.used());
        return slowLink;
    }

    @Test
    void aFullBudgetPausesThePublishersOfTheSessionThatHoldsItAndResumesThemAtHalf() {
        Session slow = session("slow");
        FakeLink slowLink = fillBudget(slow);
        CountingPublisher publisher = new CountingPublisher();

        slow.offer(message("a4", QoS.AT_LEAST_ONCE), publisher);
        assertEquals(1, publisher.pauses.get(), "the broker's queues are full: the publisher must wait");
        assertEquals(4, slow.queuedCount(), "nothing is dropped for an online subscriber");
        assertEquals(1, counters.queueBudgetFull.sum());

        // The slow client reads at last; its messages count until it acknowledges them (they are held until then).
        slowLink.writable = true;
        slow.resumeWriting();
        slowLink.run();
        List<FakeLink.Written> sent = slowLink.take();
        assertEquals(4, sent.size());
        assertEquals(4 * COST, budget.used());
        assertEquals(0, publisher.resumes.get(), "resumed while the messages in flight fill the budget");
        // Acknowledged, the budget is empty again, and the publisher goes on.
        sent.forEach(w -> slow.onPuback(w.packetId()));
        assertEquals(0, budget.used());
        assertEquals(1, publisher.resumes.get());
    }

    @Test
    void sessionsThatHoldLittleOfAFullBudgetAreNotHeldBackByOneThatHoldsIt() {
        Session stuck = session("stuck");
        fillBudget(stuck); // and it never reads, nor gets another message
        CountingPublisher publisher = new CountingPublisher();

        // A subscriber that keeps up gets its messages at once: the stuck one does not stop the broker.
        Session fast = session("fast");
        FakeLink fastLink = link(true);
        fast.attach(fastLink);
        fastLink.run();
        for (String p : List.of("b1", "b2", "b3", "b4")) {
            fast.offer(message(p, QoS.AT_MOST_ONCE), publisher);
            fastLink.run();
        }
        assertEquals(4, fastLink.take().size());
        assertEquals(0, publisher.pauses.get());

        // A slow one takes messages until it holds an even part of the bound (two sessions: one and a half
        // messages), then its publisher waits: the total passes the bound by at most about the bound again.
        Session slow = session("slow");
        FakeLink slowLink = link(false);
        slow.attach(slowLink);
        slowLink.run();
        slow.offer(message("c1", QoS.AT_LEAST_ONCE), publisher);
        slow.offer(message("c2", QoS.AT_LEAST_ONCE), publisher);
        assertEquals(0, publisher.pauses.get());
        slow.offer(message("c3", QoS.AT_LEAST_ONCE), publisher);
        assertEquals(1, publisher.pauses.get());
        assertEquals(3, slow.queuedCount(), "nothing is dropped for an online subscriber");
        assertEquals(6 * COST, budget.used());

        // Its client reads and acknowledges: its part is down to nothing, and its publisher goes on although the
        // stuck session still fills the bound.
        slowLink.writable = true;
        slow.resumeWriting();
        slowLink.run();
        slowLink.take().forEach(w -> slow.onPuback(w.packetId()));
        slowLink.run();
        assertEquals(3 * COST, budget.used());
        assertEquals(1, publisher.resumes.get());
    }

    @Test
    void qos0IsDroppedWithTheDropSettingWhenTheBudgetIsFull() {
        Session slow = session("slow", QueueFullPolicy.DROP_NEW, SlowSubscribers.Qos0WhenFull.DROP);
        fillBudget(slow);
        CountingPublisher publisher = new CountingPublisher();

        slow.offer(message("b1", QoS.AT_MOST_ONCE), publisher);
        assertEquals(3, slow.queuedCount());
        assertEquals(0, publisher.pauses.get());
        assertEquals(1, counters.droppedQos0.sum());
        assertEquals(1, counters.queueBudgetFull.sum());
    }

    @Test
    void anOfflineSessionDropsItsOldestToStayInTheBudgetWithDropOldest() {
        Session offline = session("offline", QueueFullPolicy.DROP_OLDEST, SlowSubscribers.Qos0WhenFull.PAUSE);
        offline.offer(message("o1", QoS.AT_LEAST_ONCE), null);
        Session slow = session("slow");
        FakeLink slowLink = link(false);
        slow.attach(slowLink);
        slow.offer(message("a1", QoS.AT_LEAST_ONCE), null);
        slow.offer(message("a2", QoS.AT_LEAST_ONCE), null);

        offline.offer(message("o2", QoS.AT_LEAST_ONCE), null);
        assertEquals(1, offline.queuedCount());
        assertEquals(3 * COST, budget.used(), "over the budget");
        assertEquals(1, counters.droppedQueueFull.sum());
        assertEquals(1, counters.queueBudgetFull.sum());

        // What is kept is the newest: o2 reaches the client when it connects.
        FakeLink back = link(true);
        offline.attach(back);
        back.run();
        assertEquals(List.of("o2"), back.take().stream().map(FakeLink.Written::payload).toList());
    }

    @Test
    void anOfflineSessionRefusesTheNewMessageWithDropNew() {
        Session offline = session("offline", QueueFullPolicy.DROP_NEW, SlowSubscribers.Qos0WhenFull.PAUSE);
        Session slow = session("slow");
        fillBudget(slow);

        offline.offer(message("o1", QoS.AT_LEAST_ONCE), null);
        assertEquals(0, offline.queuedCount());
        assertEquals(1, counters.droppedQueueFull.sum());
        assertEquals(3 * COST, budget.used());
    }

    @Test
    void everyWayOutOfAQueueGivesItsBytesBack() {
        Session online = session("online");
        FakeLink onlineLink = fillBudget(online);
        online.offer(message("q0", QoS.AT_MOST_ONCE), null); // past the bound: a QoS 0 message without publisher
        assertEquals(1, counters.droppedQos0.sum());
        online.detach(onlineLink); // the QoS 1 messages stay, for the offline session
        assertEquals(3 * COST, budget.used());
        assertEquals(3 * COST, counters.queuedMemoryBytes.sum());
        online.end();
        assertEquals(0, budget.used());
        assertEquals(0, counters.queuedMemoryBytes.sum());
    }
}
