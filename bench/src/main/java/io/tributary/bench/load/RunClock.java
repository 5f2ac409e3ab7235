package io.tributary.bench.load;

import java.util.concurrent.TimeUnit;

/** The time line of one scenario run, in {@link System#nanoTime()}: warm-up, then the measured window. */
public final class RunClock {

    private final long start;
    private final long windowStart;
    private final long windowEnd;

    public RunClock(long start, long warmUpNanos, long measureNanos) {
        this.start = start;
        this.windowStart = start + warmUpNanos;
        this.windowEnd = windowStart + measureNanos;
    }

    public boolean inWindow(long nanos) {
        return nanos >= windowStart && nanos < windowEnd;
    }

    public long start() {
        return start;
    }

    public long windowStart() {
        return windowStart;
    }

    public long windowEnd() {
        return windowEnd;
    }

    /** Whole seconds from the start, for per-second series. */
    public int secondOf(long nanos) {
        return (int) Math.max(0, (nanos - start) / 1_000_000_000L);
    }

    /** Sleeps until {@code nanos} ({@link System#nanoTime()}), such as {@link #windowStart()}. */
    public static void sleepUntil(long nanos) throws InterruptedException {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
