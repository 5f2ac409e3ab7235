package io.tributary.bench.raw;

import io.tributary.bench.kafka.TopicTail;
import io.tributary.bench.load.LatencyHistogram;
import java.time.Duration;
import java.util.BitSet;

/**
 * Reads one topic from the beginning while a raw route run goes on, on a thread of its own, and counts per publisher
 * which sequence numbers arrived, how often, and in what order: a record whose sequence is below one read before for
 * its publisher, and not a copy, is out of order. Latency is the time {@code poll} returned a record minus its send
 * time, for messages sent within the window.
 *
 * <p>{@link #unique()}, {@link #probeSeen()} and {@link #lastRecordNanos()} may be read while it runs, the rest after
 * {@link #stop()}.
 */
final class RouteTopicReader {

    private final TopicTail tail;
    private final BitSet[] seen;
    private final long[] highest;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final long[] perSecond;
    private volatile boolean probeSeen;
    private volatile long unique;
    private volatile long windowFrom = Long.MAX_VALUE;
    private volatile long windowTo = Long.MAX_VALUE;
    private long duplicates;
    private long outOfOrder;
    private long malformed;
    private long visibleInWindow;

    RouteTopicReader(String bootstrapServers, String topic, int publishers, int windowSeconds) {
        this.tail = new TopicTail(bootstrapServers, topic, "bench-raw-reader", 10_000, this::accept);
        this.seen = new BitSet[publishers];
        this.highest = new long[publishers];
        for (int i = 0; i < publishers; i++) {
            seen[i] = new BitSet();
            highest[i] = -1;
        }
        this.perSecond = new long[windowSeconds];
    }

    /** Starts reading; returns once every partition is assigned and positioned at its beginning. */
    void start(Duration timeout) throws InterruptedException {
        tail.start(timeout);
    }

    /** The measured window, in {@link System#nanoTime()}. */
    void window(long from, long to) {
        windowFrom = from;
        windowTo = to;
    }

    private void accept(byte[] value, long now) {
        TextStamp.Decoded stamp = TextStamp.decode(value);
        if (stamp == null || (stamp.publisher() >= seen.length && stamp.publisher() != TextStamp.PROBE)
                || stamp.sequence() > Integer.MAX_VALUE) {
            malformed++;
            return;
        }
        if (stamp.publisher() == TextStamp.PROBE) {
            probeSeen = true;
            return;
        }
        int publisher = stamp.publisher();
        int sequence = (int) stamp.sequence();
        if (seen[publisher].get(sequence)) {
            duplicates++;
        } else {
            seen[publisher].set(sequence);
            unique++;
            if (sequence < highest[publisher]) {
                outOfOrder++;
            }
        }
        highest[publisher] = Math.max(highest[publisher], sequence);
        long from = windowFrom;
        if (now >= from && now < windowTo) {
            visibleInWindow++;
            int second = (int) ((now - from) / 1_000_000_000L);
            if (second < perSecond.length) {
                perSecond[second]++;
            }
        }
        if (stamp.sentNanos() >= from && stamp.sentNanos() < windowTo) {
            latency.record(now - stamp.sentNanos());
        }
    }

    void stop() throws InterruptedException {
        tail.stop();
    }

    boolean probeSeen() {
        return probeSeen;
    }

    long unique() {
        return unique;
    }

    long lastRecordNanos() {
        return tail.lastRecordNanos();
    }

    Throwable failure() {
        return tail.failure();
    }

    /** How many of {@code publisher}'s sequence numbers from 0 up to {@code below} arrived. */
    long arrivedBelow(int publisher, long below) {
        return arrivedBetween(publisher, 0, below);
    }

    /** How many of {@code publisher}'s sequence numbers from {@code from} up to {@code to} arrived. */
    long arrivedBetween(int publisher, long from, long to) {
        int start = (int) Math.min(Integer.MAX_VALUE, from);
        int end = (int) Math.min(Integer.MAX_VALUE, to);
        return end <= start ? 0 : seen[publisher].get(start, end).cardinality();
    }

    /** Those from {@code from} on: arrived though not (yet) acknowledged. */
    long arrivedFrom(int publisher, long from) {
        BitSet all = seen[publisher];
        return from >= all.length() ? 0 : all.get((int) from, all.length()).cardinality();
    }

    long duplicates() {
        return duplicates;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    long malformed() {
        return malformed;
    }

    long visibleInWindow() {
        return visibleInWindow;
    }

    long[] perSecond() {
        return perSecond.clone();
    }

    LatencyHistogram latency() {
        return latency;
    }
}
