package io.tributary.broker.session;

import io.tributary.broker.stats.BrokerCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The memory all sessions' messages take together, against one broker-wide bound: per-session bounds alone let
 * 10,000 slow subscribers queue 10,000 times 16 MiB. Each message kept in memory, queued or in flight (sent, not yet
 * acknowledged), counts its payload, its topic and {@link #ENTRY_OVERHEAD} bytes of bookkeeping (so that many small
 * messages count for what they take); messages kept on disk only count nothing. A message queued for several
 * subscribers counts once for each, although it is held once: the bound is on the safe side.
 *
 * <p>The bound is passed by what publishers had sent before they were paused: at most one in-flight window
 * ({@code max-inflight}) of QoS 1/2 messages per publisher, or one socket read of QoS 0 ones, each counted once per
 * subscriber.
 *
 * <p>A full budget is a full queue for the sessions that hold an even part of it or more ({@link Share#isLarge}):
 * an online one pauses its publishers (QoS 0 ones too, unless {@code qos0-when-full} is {@code drop}), an offline
 * one drops by {@code queue-full-policy}. A session that holds less goes on taking messages: subscribers that keep
 * up are not held back by those that do not, which may never take another message (a stuck client, an offline
 * session kept in memory). That lets the total pass the bound by at most about the bound again, an even part for
 * each session. Sessions that paused publishers for it wait here; once the budget is down to half (or their part
 * to half an even part), they are woken and resume the publishers whose own queues have room.
 *
 * <p>Concurrency: any thread. {@link #add} and {@link #remove} are called under a session's monitor and take no
 * other lock; {@link #wakeIfRoom} calls sessions, so it is called with no session's monitor held.
 */
public final class QueueBudget {
    /**
     * What one queued message takes beyond its payload and topic bytes: the queue entry, the delivery, the message
     * and the headers of its topic and payload (about 160 bytes on a 64-bit JVM with compressed references).
     */
    static final int ENTRY_OVERHEAD = 160;

    private final long maxBytes;
    private final BrokerCounters counters;
    /** Striped: every event loop adds to it for each message, and offers only read it. */
    private final LongAdder used = new LongAdder();
    private final Set<Session> waiting = ConcurrentHashMap.newKeySet();
    /** Sessions that hold some of the budget now. */
    private final LongAdder holders = new LongAdder();

    /** A budget of {@code maxBytes}; {@link Long#MAX_VALUE}: none. */
    public QueueBudget(long maxBytes, BrokerCounters counters) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.counters = counters;
    }

    /** What a message of {@code queuedSize} (payload and topic) counts against the budget. */
    static long cost(long queuedSize) {
        return queuedSize + ENTRY_OVERHEAD;
    }

    void add(long cost) {
        used.add(cost);
        counters.queuedMemoryBytes.add(cost);
    }

    void remove(long cost) {
        used.add(-cost);
        counters.queuedMemoryBytes.add(-cost);
    }

    /** Whether the queues hold the bound or more: new messages meet a full queue. */
    boolean isFull() {
        return used.sum() >= maxBytes;
    }

    /** Whether a message of {@code cost} would take the budget past its bound (for an offline session's queue). */
    boolean wouldOverflow(long cost) {
        return used.sum() + cost > maxBytes;
    }

    /** Whether the queues are down to half the bound: publishers paused for the budget may go on. */
    boolean hasRoom() {
        return used.sum() <= maxBytes / 2;
    }

    /** The bytes counted now. */
    public long used() {
        return used.sum();
    }

    /** The bound. */
    public long maxBytes() {
        return maxBytes;
    }

    /** A new session's part of the budget. */
    Share share() {
        return new Share();
    }

    /** An even part of the bound: the bound shared by the sessions that hold some of it. */
    private long evenPart() {
        return maxBytes / Math.max(1, holders.sum());
    }

    /**
     * What one session holds of the budget. Its methods are called under that session's monitor, like
     * {@link #add} and {@link #remove}, which they call.
     */
    final class Share {
        private long bytes;

        private Share() {
        }

        void add(long cost) {
            boolean held = bytes > 0;
            bytes += cost;
            QueueBudget.this.add(cost);
            if (!held && bytes > 0) {
                holders.increment();
            }
        }

        void remove(long cost) {
            boolean held = bytes > 0;
            bytes -= cost;
            QueueBudget.this.remove(cost);
            if (held && bytes <= 0) {
                holders.decrement();
            }
        }

        /** Whether the budget is full and this session holds an even part of it or more: it gets no more. */
        boolean isFullForThis() {
            return isFull() && bytes >= evenPart();
        }

        /** Whether this session may take messages again: the budget is down to half, or its part to half an even one. */
        boolean hasRoomForThis() {
            return hasRoom() || bytes <= evenPart() / 2;
        }
    }

    /** {@code session} paused a publisher while the budget was full: it is woken once the budget has room. */
    void await(Session session) {
        waiting.add(session);
    }

    /** {@code session} holds no publisher any more (resumed them, or ended). */
    void forget(Session session) {
        waiting.remove(session);
    }

    /**
     * Wakes the waiting sessions if the budget has room; each resumes its publishers if its own queue has room too
     * (otherwise its own drain will). Called with no session's monitor held.
     */
    void wakeIfRoom() {
        if (waiting.isEmpty() || !hasRoom()) {
            return; // a session whose own part went down to half an even one resumes in its own drain
        }
        List<Session> woken = new ArrayList<>(waiting);
        waiting.removeAll(woken);
        for (Session session : woken) {
            session.budgetHasRoom();
        }
    }
}
