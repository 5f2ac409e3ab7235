package io.tributary.broker.session;

import io.tributary.broker.QoS;
import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.stats.BrokerCounters;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messages waiting to be sent to one session, oldest first, and, for a persistent session of a broker with a
 * store, where they live: each QoS 1/2 message is written to the {@link SessionJournal} as it is added; while the
 * session is online and nothing waits on disk, it is also kept in memory, ready to send; otherwise (offline, or
 * behind what is on disk) it is kept on disk only, as a range of sequence numbers, and read back a page at a
 * time as the session drains. A session offline with 100,000 messages waiting holds none of them in memory.
 *
 * <p>QoS 0 messages are never written; they stay in memory and may be sent ahead of older QoS 1/2 messages read
 * back from disk (order is kept per topic and QoS [MQTT-4.6.0-6]).
 *
 * <p>What it keeps in memory counts against the broker-wide {@link QueueBudget}.
 *
 * <p>Concurrency: guarded by the owning {@link Session}'s monitor.
 */
final class SessionQueue {
    /** How many messages one read from disk brings into memory. */
    private static final int PAGE = 256;

    private final String clientId;
    private final BrokerCounters counters;
    private final QueueBudget.Share budget;
    private final ArrayDeque<Queued> memory = new ArrayDeque<>();
    private long memoryBytes;
    private volatile SessionJournal journal;
    private long nextSeq = 1;
    /**
     * The messages on disk only: sequence numbers from {@code spillFrom} up to {@code spillTo} (exclusive), of which
     * {@code spilled} are there (a restart leaves gaps where messages had expired).
     */
    private long spillFrom;
    private long spillTo;
    private int spilled;
    private long spilledBytes;
    /**
     * Messages on disk only whose write has not completed yet, so that a page read finds them; removed once
     * written (a write that failed leaves its message here, and it is still delivered).
     */
    private final Map<Long, OutboundMessage> unwritten = new ConcurrentHashMap<>();

    SessionQueue(String clientId, BrokerCounters counters, QueueBudget.Share budget) {
        this.clientId = clientId;
        this.counters = counters;
        this.budget = budget;
    }

    /** A queued message and its sequence number in the journal (0 if it is not written there). */
    record Queued(OutboundMessage message, long seq) {
    }

    /** From now on QoS 1/2 messages added are written to {@code journal}. */
    void journalTo(SessionJournal journal) {
        this.journal = journal;
    }

    SessionJournal journal() {
        return journal;
    }

    /**
     * Adds {@code message} at the end.
     *
     * @param online whether the session is online: an offline session keeps written messages on disk only
     * @return completes once the message is durable, or null if it is not written
     */
    CompletableFuture<Void> add(OutboundMessage message, boolean online) {
        counters.queued.increment();
        long size = message.queuedSize();
        if (journal == null || message.qos() == QoS.AT_MOST_ONCE) {
            memory.addLast(new Queued(message, 0));
            inMemory(size);
            return null;
        }
        long seq = nextSeq++;
        CompletableFuture<Void> durable = journal.append(clientId, seq, message);
        if (online && spillFrom == spillTo) {
            memory.addLast(new Queued(message, seq));
            inMemory(size);
        } else {
            if (spillFrom == spillTo) {
                spillFrom = seq;
            }
            spillTo = seq + 1;
            spilled++;
            counters.queuedOnDisk.increment();
            spilledBytes += size;
            unwritten.put(seq, message);
            durable.thenRun(() -> unwritten.remove(seq));
        }
        return durable;
    }

    /** The oldest message, or null; reads a page from disk when memory holds none. */
    Queued peek() {
        if (memory.isEmpty() && spillFrom < spillTo) {
            pageIn();
        }
        return memory.peekFirst();
    }

    /** Takes the oldest message (still in the journal, for the caller to mark sent or remove), or null. */
    Queued poll() {
        return poll(false);
    }

    /**
     * Takes the oldest message, or null.
     *
     * @param stillHeld whether the caller keeps it in memory (in flight): it stays counted against the budget, for
     *     the caller to give back with {@link QueueBudget.Share#remove}
     */
    Queued poll(boolean stillHeld) {
        Queued head = peek();
        if (head != null) {
            memory.pollFirst();
            long size = head.message().queuedSize();
            memoryBytes -= size;
            if (!stillHeld) {
                budget.remove(QueueBudget.cost(size));
            }
            counters.queued.decrement();
        }
        return head;
    }

    private void inMemory(long size) {
        memoryBytes += size;
        budget.add(QueueBudget.cost(size));
    }

    private void outOfMemory(long size) {
        memoryBytes -= size;
        budget.remove(QueueBudget.cost(size));
    }

    /** Whether {@link #add} would keep {@code message} in memory (else on disk only). */
    boolean wouldKeepInMemory(OutboundMessage message, boolean online) {
        return journal == null || message.qos() == QoS.AT_MOST_ONCE || (online && spillFrom == spillTo);
    }

    /** The payload and topic bytes of the messages held in memory. */
    long memoryBytes() {
        return memoryBytes;
    }

    /** Drops the oldest message, from the journal too. */
    void dropOldest() {
        Queued head = poll();
        if (head != null && head.seq() != 0) {
            journal.remove(clientId, head.seq());
        }
    }

    private void pageIn() {
        int read = 0;
        while (spillFrom < spillTo && read < PAGE) {
            long seq = spillFrom++;
            OutboundMessage message = unwritten.remove(seq);
            if (message == null) {
                message = journal.read(clientId, seq);
            }
            if (message == null) {
                continue; // a gap: nothing to send, nothing to count
            }
            long size = message.queuedSize();
            spilled--;
            counters.queuedOnDisk.decrement();
            spilledBytes -= size;
            memory.addLast(new Queued(message, seq));
            inMemory(size);
            read++;
        }
        if (spillFrom == spillTo) {
            counters.queuedOnDisk.add(-spilled);
            spilled = 0;
            spilledBytes = 0;
        }
    }

    /** Drops the QoS 0 messages: the session went offline. */
    void dropQos0() {
        for (Iterator<Queued> it = memory.iterator(); it.hasNext(); ) {
            Queued queued = it.next();
            if (queued.message().qos() == QoS.AT_MOST_ONCE) {
                it.remove();
                outOfMemory(queued.message().queuedSize());
                counters.queued.decrement();
            }
        }
    }

    /** Forgets everything, in memory (the journal forgets the ended session as a whole). */
    void clear() {
        counters.queued.add(-size());
        counters.queuedOnDisk.add(-spilled);
        budget.remove(memoryBytes + (long) QueueBudget.ENTRY_OVERHEAD * memory.size());
        memory.clear();
        memoryBytes = 0;
        spillFrom = spillTo;
        spilled = 0;
        spilledBytes = 0;
        unwritten.clear();
    }

    /**
     * Puts back what a restart found on disk: {@code count} messages of {@code bytes}, sequence numbers from
     * {@code from} up to {@code to} (exclusive), read back as the session drains; new ones are numbered from
     * {@code to} on.
     */
    void restore(long from, long to, int count, long bytes) {
        spillFrom = from;
        spillTo = to;
        nextSeq = Math.max(nextSeq, to);
        spilled = count;
        spilledBytes = bytes;
        counters.queued.add(count);
        counters.queuedOnDisk.add(count);
    }

    /** New messages are numbered from {@code next} on at least (after those restored in flight). */
    void seqAtLeast(long next) {
        nextSeq = Math.max(nextSeq, next);
    }

    int size() {
        return memory.size() + spilled;
    }

    long bytes() {
        return memoryBytes + spilledBytes;
    }

    boolean isEmpty() {
        return memory.isEmpty() && spillFrom == spillTo;
    }

    /** The messages in memory, oldest first, for a state being saved (a store that saves at the stop only). */
    Iterable<Queued> inMemory() {
        return memory;
    }

}
