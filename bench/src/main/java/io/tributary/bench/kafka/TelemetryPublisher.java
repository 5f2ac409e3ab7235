package io.tributary.bench.kafka;

import io.tributary.bench.load.LoadClient;
import io.tributary.bench.load.RunClock;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes numbered telemetry messages at QoS 1 on one client, with at most {@code inFlight} without PUBACK, as fast
 * as they are acknowledged or at a fixed rate, and remembers which sequence numbers were acknowledged, so that
 * acknowledged messages missing from Kafka can be counted afterwards.
 *
 * <p>Threads: {@link #run()} publishes on its own thread; acknowledgements arrive on the client's I/O thread and are
 * recorded under the lock of {@code accepted}.
 */
final class TelemetryPublisher implements Runnable {

    private final int index;
    private final LoadClient client;
    private final String topic;
    private final int payloadBytes;
    private final int inFlight;
    private final long pauseNanos;
    private final RunClock clock;
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

    TelemetryPublisher(int index, LoadClient client, int ratePerSecond, KafkaLoadSettings settings, RunClock clock) {
        this.index = index;
        this.client = client;
        this.topic = KafkaScenario.topicOf(index);
        this.payloadBytes = settings.payloadBytes();
        this.inFlight = settings.inFlight();
        this.pauseNanos = ratePerSecond > 0 ? 1_000_000_000L / ratePerSecond : 0;
        this.clock = clock;
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
                    client.publish(topic, 1, ByteBuffer.wrap(TelemetryPayload.encode(payloadBytes, index, seq, now)))
                            .whenComplete((ignored, error) -> acknowledged(seq, error));
                } catch (RuntimeException e) {
                    acknowledged(seq, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acknowledged(int seq, Throwable error) {
        try {
            if (error == null) {
                synchronized (accepted) {
                    accepted.set(seq);
                }
                acceptedCount.incrementAndGet();
                if (clock.inWindow(System.nanoTime())) {
                    acceptedInWindow.incrementAndGet();
                }
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

    int index() {
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

    /** A copy of the acknowledged sequence numbers. */
    BitSet accepted() {
        synchronized (accepted) {
            return (BitSet) accepted.clone();
        }
    }
}
