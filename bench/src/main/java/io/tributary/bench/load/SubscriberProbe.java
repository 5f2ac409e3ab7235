package io.tributary.bench.load;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.function.Consumer;

/**
 * Receives the messages of one subscriber: which (publisher, sequence) arrived, how often, how late, and when.
 *
 * <p>Threads: {@link #accept} runs on the client's I/O thread; the state is read after the run. Every access holds
 * this object's lock, which is uncontended while messages flow.
 */
public final class SubscriberProbe implements Consumer<ByteBuffer> {

    private final RunClock clock;
    private final BitSet[] received;
    private final long[] perSecond;
    private final LatencyHistogram latency = new LatencyHistogram();
    private long unique;
    private long duplicates;
    private long malformed;
    private long deliveredInWindow;
    private volatile long lastDeliveryNanos;

    public SubscriberProbe(int publishers, RunClock clock, int seconds) {
        this.clock = clock;
        this.received = new BitSet[publishers];
        for (int i = 0; i < publishers; i++) {
            received[i] = new BitSet();
        }
        this.perSecond = new long[seconds];
    }

    @Override
    public void accept(ByteBuffer payload) {
        long now = System.nanoTime();
        synchronized (this) {
            lastDeliveryNanos = now;
            if (!Payload.isWellFormed(payload)) {
                malformed++;
                return;
            }
            int publisher = Payload.publisher(payload);
            int sequence = Payload.sequence(payload);
            if (publisher < 0 || publisher >= received.length || sequence < 0) {
                malformed++;
                return;
            }
            if (received[publisher].get(sequence)) {
                duplicates++;
            } else {
                received[publisher].set(sequence);
                unique++;
            }
            long sent = Payload.sentNanos(payload);
            if (clock.inWindow(sent)) {
                latency.record(now - sent);
            }
            if (clock.inWindow(now)) {
                deliveredInWindow++;
            }
            int second = clock.secondOf(now);
            if (second < perSecond.length) {
                perSecond[second]++;
            }
        }
    }

    public long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }

    public synchronized long unique() {
        return unique;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long malformed() {
        return malformed;
    }

    public synchronized long deliveredInWindow() {
        return deliveredInWindow;
    }

    public synchronized LatencyHistogram latency() {
        LatencyHistogram copy = new LatencyHistogram();
        copy.add(latency);
        return copy;
    }

    public synchronized long[] perSecond() {
        return perSecond.clone();
    }

    /** A copy of the sequence numbers received from one publisher. */
    public synchronized BitSet received(int publisher) {
        return (BitSet) received[publisher].clone();
    }
}
