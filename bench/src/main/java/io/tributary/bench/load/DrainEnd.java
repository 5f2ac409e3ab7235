package io.tributary.bench.load;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Why the wait after publishing stopped, in a broker run (arrivals at the subscribers) and in a Kafka run (records in
 * the topic) alike. It tells missing messages (nothing arrived any more) from late ones (still arriving).
 */
public enum DrainEnd {
    /** Every expected message arrived. */
    ALL_ARRIVED,
    /** Nothing arrived for the quiet period: what is missing by then is taken as lost. */
    QUIET,
    /** Messages were still arriving when the drain timeout ran out: what is missing may only be late. */
    TIMED_OUT,
    /** What was measured (the broker, the system) died. */
    DIED,
    /** The run did not take place. */
    NOT_RUN;

    /**
     * Waits, checking every 20 ms, until {@code arrived} reaches {@code expected}, nothing arrived for
     * {@code quietNanos}, {@code alive} turns false, or the deadline passes.
     *
     * @param drainStart when the wait began ({@link System#nanoTime()}), the earliest the quiet period counts from
     * @param lastArrivalNanos when the last message arrived, or 0
     */
    public static DrainEnd await(long drainStart, long deadline, long quietNanos, long expected, BooleanSupplier alive,
                                 LongSupplier arrived, LongSupplier lastArrivalNanos) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                return DIED;
            }
            if (arrived.getAsLong() >= expected) {
                return ALL_ARRIVED;
            }
            if (System.nanoTime() - Math.max(lastArrivalNanos.getAsLong(), drainStart) > quietNanos) {
                return QUIET;
            }
            Thread.sleep(20);
        }
        return TIMED_OUT;
    }
}
