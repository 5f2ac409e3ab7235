package io.tributary.bench.linkkill;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What reached the sink of the source under test: each stream message by its sequence number, how often, and the
 * highest number seen (the kill cycles wait on it). Thread-safe; called from the source's threads.
 */
final class Deliveries {

    private final BitSet seen = new BitSet();
    private final AtomicLong highest = new AtomicLong(-1);
    private final AtomicLong lastNanos = new AtomicLong();
    private long arrivals;
    private long unreadable;

    /** One message arrived at the sink with this payload (the sequence number as ASCII digits). */
    void record(byte[] payload) {
        long sequence;
        try {
            sequence = Long.parseLong(new String(payload, java.nio.charset.StandardCharsets.US_ASCII).strip());
        } catch (NumberFormatException e) {
            synchronized (this) {
                unreadable++;
            }
            return;
        }
        synchronized (this) {
            arrivals++;
            seen.set((int) sequence);
        }
        highest.accumulateAndGet(sequence, Math::max);
        lastNanos.set(System.nanoTime());
    }

    /** The highest sequence number that arrived, or -1. */
    long highest() {
        return highest.get();
    }

    /** When the last message arrived (System.nanoTime), or 0. */
    long lastArrivalNanos() {
        return lastNanos.get();
    }

    synchronized boolean contains(int sequence) {
        return seen.get(sequence);
    }

    /** Every arrival, duplicates included. */
    synchronized long arrivals() {
        return arrivals;
    }

    /** Distinct sequence numbers that arrived. */
    synchronized long unique() {
        return seen.cardinality();
    }

    synchronized long unreadable() {
        return unreadable;
    }

    /** The acknowledged sequence numbers that never arrived. */
    synchronized BitSet missingOf(BitSet acknowledged) {
        BitSet missing = (BitSet) acknowledged.clone();
        missing.andNot(seen);
        return missing;
    }
}
