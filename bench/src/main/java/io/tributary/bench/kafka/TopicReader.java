package io.tributary.bench.kafka;

import io.tributary.bench.load.LatencyHistogram;
import io.tributary.bench.load.Receipts;
import io.tributary.bench.load.RunClock;
import java.time.Duration;
import java.util.BitSet;

/**
 * Reads every record of one topic from the beginning, in the driver, while a run goes on: which (publisher,
 * sequence) became visible in Kafka, how often, how long after it was published, and when.
 *
 * <p>A record is visible once a consumer can read it: for {@code acks=all} on one node, once the leader has appended
 * it. Its latency is the time {@code poll} returned it minus the send time in its payload, both
 * {@link System#nanoTime()} of this JVM.
 *
 * <p>Threads: one thread of its own polls and owns all counts; {@link #unique()}, {@link #lastRecordNanos()} and
 * {@link #probeSeen()} may be read from any thread while it runs, everything else after {@link #stop()}.
 */
final class TopicReader {

    private final TopicTail tail;
    private final Receipts receipts;
    private final long[] perSecond;
    private final LatencyHistogram latency = new LatencyHistogram();
    private volatile RunClock clock;
    private volatile boolean probeSeen;
    private long visibleInWindow;
    private long records;

    TopicReader(String bootstrapServers, String topic, int publishers, int seconds) {
        this.tail = new TopicTail(bootstrapServers, topic, "bench-reader", 5000, this::accept);
        this.receipts = new Receipts(publishers);
        this.perSecond = new long[seconds];
    }

    /** Starts reading and returns once every partition of the topic is assigned. */
    void start(Duration timeout) throws InterruptedException {
        tail.start(timeout);
    }

    /** From now on, latencies of messages sent within the clock's window and records per second are counted. */
    void useClock(RunClock runClock) {
        this.clock = runClock;
    }

    private void accept(byte[] value, long now) {
        records++;
        TelemetryPayload.Decoded payload = TelemetryPayload.decode(value);
        if (payload == null) {
            receipts.addMalformed();
            return;
        }
        if (payload.publisher() < 0) {
            probeSeen = true;
            return;
        }
        receipts.add(payload.publisher(), payload.sequence());
        RunClock runClock = clock;
        if (runClock != null) {
            if (runClock.inWindow(payload.sentNanos())) {
                latency.record(now - payload.sentNanos());
            }
            if (runClock.inWindow(now)) {
                visibleInWindow++;
            }
            int second = runClock.secondOf(now);
            if (second < perSecond.length) {
                perSecond[second]++;
            }
        }
    }

    /** Whether a readiness probe (publisher -1) has arrived. */
    boolean probeSeen() {
        return probeSeen;
    }

    /** Distinct benchmark messages read so far. */
    long unique() {
        return receipts.unique();
    }

    /** When the last batch of records arrived (System.nanoTime()), or 0. */
    long lastRecordNanos() {
        return tail.lastRecordNanos();
    }

    /** Why reading stopped early, or null. */
    Throwable failure() {
        return tail.failure();
    }

    boolean isReading() {
        return tail.isReading();
    }

    /** Stops reading and waits for the thread; the counts below are final afterwards. */
    void stop() throws InterruptedException {
        tail.stop();
    }

    BitSet seen(int publisher) {
        return receipts.seen(publisher);
    }

    long duplicates() {
        return receipts.duplicates();
    }

    long malformed() {
        return receipts.malformed();
    }

    long visibleInWindow() {
        return visibleInWindow;
    }

    long records() {
        return records;
    }

    LatencyHistogram latency() {
        return latency;
    }

    long[] perSecond() {
        return perSecond;
    }
}
