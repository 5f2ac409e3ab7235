package io.tributary.bench.load;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Publishes numbered messages on one client, with at most {@code inFlight} outstanding, as fast as the broker accepts
 * them or at a fixed rate, and remembers which sequence numbers the broker accepted, so that accepted messages that
 * never arrived can be counted afterwards.
 *
 * <p>Threads: {@link #run()} publishes on its own thread; acknowledgements arrive on the client's I/O thread and are
 * recorded under the lock of {@code accepted}.
 */
public final class Publisher implements Runnable {

    /** The payload of one message; it carries the send time so that the receiver can measure latency. */
    @FunctionalInterface
    public interface Payloads {
        ByteBuffer encode(int sequence, long sentNanos);
    }

    /**
     * Told of every accepted publish, on the thread that completes it (the client's I/O thread): for a route whose
     * PUBACK waits for its sink, publish → PUBACK is the end-to-end latency.
     */
    @FunctionalInterface
    public interface AckObserver {
        /**
         * @param sentNanos when the publish was sent ({@link System#nanoTime()})
         * @param ackNanos when it was accepted
         */
        void accepted(long sentNanos, long ackNanos);

        AckObserver NONE = (sentNanos, ackNanos) -> { };
    }

    private final int index;
    private final LoadClient client;
    private final IntFunction<String> topics;
    private final int qos;
    private final int inFlight;
    private final long pauseNanos;
    private final RunClock clock;
    private final Payloads payloads;
    private final AckObserver observer;
    private final Semaphore window;
    private final BitSet accepted = new BitSet();
    private final AtomicLong acceptedCount = new AtomicLong();
    private final AtomicLong acceptedInWindow = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicReference<Throwable> firstRejection = new AtomicReference<>();
    private volatile boolean stopRequested;
    private volatile int published;
    private volatile int firstInWindow = -1;
    private volatile int firstAfterWindow = -1;

    /**
     * @param inFlight publishes outstanding at most: QoS 1 waits for PUBACK, QoS 0 for the write to the socket
     * @param ratePerSecond publishes per second, or 0 for as fast as the in-flight window allows
     */
    public Publisher(int index, LoadClient client, String topic, int qos, int inFlight, int ratePerSecond,
                     RunClock clock, Payloads payloads) {
        this(index, client, topic, qos, inFlight, ratePerSecond, clock, payloads, AckObserver.NONE);
    }

    /** The same, telling {@code observer} of every accepted publish. */
    public Publisher(int index, LoadClient client, String topic, int qos, int inFlight, int ratePerSecond,
                     RunClock clock, Payloads payloads, AckObserver observer) {
        this(index, client, sequence -> topic, qos, inFlight, ratePerSecond, clock, payloads, observer);
    }

    /**
     * The same, publishing each message to the topic {@code topics} gives for its sequence number: the cluster
     * benchmark spreads one publisher's messages over subscribers that way.
     */
    public Publisher(int index, LoadClient client, IntFunction<String> topics, int qos, int inFlight,
                     int ratePerSecond, RunClock clock, Payloads payloads, AckObserver observer) {
        this.index = index;
        this.client = client;
        this.topics = topics;
        this.qos = qos;
        this.inFlight = inFlight;
        this.pauseNanos = ratePerSecond > 0 ? 1_000_000_000L / ratePerSecond : 0;
        this.clock = clock;
        this.payloads = payloads;
        this.observer = observer;
        this.window = new Semaphore(inFlight);
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        int sequence = 0;
        try {
            while (!stopRequested) {
                if (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                if (pauseNanos > 0) {
                    next += pauseNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                int seq = sequence++;
                published = sequence;
                long now = System.nanoTime();
                if (firstInWindow < 0 && now >= clock.windowStart()) {
                    firstInWindow = seq;
                }
                if (firstAfterWindow < 0 && now >= clock.windowEnd()) {
                    firstAfterWindow = seq;
                }
                try {
                    client.publish(topics.apply(seq), qos, payloads.encode(seq, now))
                            .whenComplete((ignored, error) -> acknowledged(seq, now, error));
                } catch (RuntimeException e) {
                    acknowledged(seq, now, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acknowledged(int seq, long sentNanos, Throwable error) {
        try {
            if (error == null) {
                synchronized (accepted) {
                    accepted.set(seq);
                }
                acceptedCount.incrementAndGet();
                long now = System.nanoTime();
                if (clock.inWindow(now)) {
                    acceptedInWindow.incrementAndGet();
                }
                observer.accepted(sentNanos, now);
            } else {
                rejected.incrementAndGet();
                firstRejection.compareAndSet(null, error);
            }
        } finally {
            window.release();
        }
    }

    void stop() {
        stopRequested = true;
    }

    /** Waits until every publish sent has been answered; returns how many are still outstanding. */
    int awaitOutstanding(long deadlineNanos) throws InterruptedException {
        long wait = Math.max(0, deadlineNanos - System.nanoTime());
        if (window.tryAcquire(inFlight, wait, TimeUnit.NANOSECONDS)) {
            window.release(inFlight);
            return 0;
        }
        return inFlight - window.availablePermits();
    }

    public int index() {
        return index;
    }

    long published() {
        return published;
    }

    /** The first sequence number sent within the measured window (the published count if none was). */
    int firstInWindow() {
        int first = firstInWindow;
        return first < 0 ? published : first;
    }

    /** The first sequence number sent after the measured window (the published count if none was). */
    int firstAfterWindow() {
        int first = firstAfterWindow;
        return first < 0 ? published : first;
    }

    long acceptedCount() {
        return acceptedCount.get();
    }

    long acceptedInWindow() {
        return acceptedInWindow.get();
    }

    long rejected() {
        return rejected.get();
    }

    Throwable firstRejection() {
        return firstRejection.get();
    }

    /** A copy of the accepted sequence numbers. */
    public BitSet accepted() {
        synchronized (accepted) {
            return (BitSet) accepted.clone();
        }
    }
}
