package io.tributary.bench.load;

import java.util.BitSet;

/**
 * What a receiver (a Kafka topic, a table, a webhook) got of the publishers' numbered messages: which
 * (publisher, sequence) arrived, how many arrived more than once, and how many were not the driver's.
 *
 * <p>Thread-safe: a webhook's requests are recorded on several threads at once.
 */
public final class Receipts {

    private final BitSet[] seen;
    private long unique;
    private long duplicates;
    private long malformed;

    /** @param publishers publishers are numbered from 0 to {@code publishers - 1} */
    public Receipts(int publishers) {
        this.seen = new BitSet[publishers];
        for (int i = 0; i < publishers; i++) {
            seen[i] = new BitSet();
        }
    }

    /**
     * Records one arrival; a publisher outside the range counts as malformed.
     *
     * @return whether it was the first arrival of this message
     */
    public synchronized boolean add(int publisher, int sequence) {
        if (publisher < 0 || publisher >= seen.length || sequence < 0) {
            malformed++;
            return false;
        }
        BitSet bits = seen[publisher];
        if (bits.get(sequence)) {
            duplicates++;
            return false;
        }
        bits.set(sequence);
        unique++;
        return true;
    }

    /** Records something that arrived but was not one of the driver's messages. */
    public synchronized void addMalformed() {
        malformed++;
    }

    /** A copy of the sequence numbers of {@code publisher} that arrived. */
    public synchronized BitSet seen(int publisher) {
        return (BitSet) seen[publisher].clone();
    }

    /** Distinct messages that arrived. */
    public synchronized long unique() {
        return unique;
    }

    /** Arrivals of a message that had arrived before. */
    public synchronized long duplicates() {
        return duplicates;
    }

    /** Arrivals that were not the driver's messages. */
    public synchronized long malformed() {
        return malformed;
    }
}
