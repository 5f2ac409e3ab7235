package io.tributary.bench.load;

import java.util.BitSet;

/**
 * What was acknowledged against what arrived at a receiver (a subscriber, a Kafka topic), with what is missing dated
 * by when it was sent.
 *
 * @param arrived acknowledged messages that arrived (each counted once)
 * @param unacknowledgedArrived messages that arrived though their publish was never acknowledged (in flight at the
 *     end, or the answer lost)
 * @param missingSentInWarmUp acknowledged messages that never arrived, sent during the warm-up
 * @param missingSentInWindow the same, sent within the measured window
 * @param missingSentAfter the same, sent after the window (while the publishers stopped)
 */
public record Arrivals(long arrived, long unacknowledgedArrived, long missingSentInWarmUp, long missingSentInWindow,
                       long missingSentAfter) {

    public static final Arrivals NONE = new Arrivals(0, 0, 0, 0, 0);

    /**
     * One publisher's messages as one receiver got them.
     *
     * @param acknowledged the sequence numbers {@code publisher} had acknowledged
     * @param received the sequence numbers of {@code publisher} the receiver got
     */
    public static Arrivals of(Publisher publisher, BitSet acknowledged, BitSet received) {
        BitSet arrivedAsPromised = (BitSet) received.clone();
        arrivedAsPromised.and(acknowledged);
        BitSet missing = (BitSet) acknowledged.clone();
        missing.andNot(received);
        int windowFrom = publisher.firstInWindow();
        int windowTo = Math.max(windowFrom, publisher.firstAfterWindow());
        return new Arrivals(arrivedAsPromised.cardinality(),
                received.cardinality() - arrivedAsPromised.cardinality(),
                missing.get(0, windowFrom).cardinality(),
                missing.get(windowFrom, windowTo).cardinality(),
                missing.get(windowTo, Math.max(windowTo, missing.length())).cardinality());
    }

    public Arrivals plus(Arrivals other) {
        return new Arrivals(arrived + other.arrived, unacknowledgedArrived + other.unacknowledgedArrived,
                missingSentInWarmUp + other.missingSentInWarmUp, missingSentInWindow + other.missingSentInWindow,
                missingSentAfter + other.missingSentAfter);
    }
}
