package io.tributary.bench.load;

import java.time.Duration;

/**
 * The one time line of every benchmark run (broker scenarios, MQTT → Kafka, route sinks): the publishers start
 * together a moment after the clock is made, publish through the warm-up and the measured window, and stop; the
 * {@link WindowMeter} is read when the window opens and when it closes; then the driver waits for the answers to the
 * last publishes.
 */
public final class LoadTimeline {

    /** A moment for the publisher threads to start. */
    private static final long START_DELAY_NANOS = 100_000_000L;

    /**
     * What the time line left to the runner.
     *
     * @param unanswered publishes still without an answer at the drain deadline
     * @param drainStartNanos when publishing stopped ({@link System#nanoTime()})
     * @param drainDeadlineNanos when the drain must end at the latest
     */
    public record Ended(long unanswered, long drainStartNanos, long drainDeadlineNanos) {

        /** From the end of publishing until now. */
        public Duration drainTime() {
            return Duration.ofNanos(System.nanoTime() - drainStartNanos);
        }
    }

    private LoadTimeline() {
    }

    /** The clock of a run starting in a moment. */
    public static RunClock clock(Duration warmUp, Duration measure) {
        return new RunClock(System.nanoTime() + START_DELAY_NANOS, warmUp.toNanos(), measure.toNanos());
    }

    /** Whole seconds in the per-second series of a run: its whole time line and a margin. */
    public static int seconds(Duration warmUp, Duration measure, Duration drain) {
        return (int) warmUp.plus(measure).plus(drain).toSeconds() + 5;
    }

    /**
     * Starts the publishers at the clock's start, reads the meter at both ends of the window, stops the publishers and
     * waits up to {@code drainTimeout} for the answers to what they sent.
     */
    public static Ended run(RunClock clock, Publishers publishers, WindowMeter meter, Duration drainTimeout)
            throws Exception {
        publishers.startAt(clock.start());
        RunClock.sleepUntil(clock.windowStart());
        meter.readStart();
        RunClock.sleepUntil(clock.windowEnd());
        meter.readEnd();
        publishers.stop();
        long drainStart = System.nanoTime();
        long deadline = drainStart + drainTimeout.toNanos();
        return new Ended(publishers.awaitAnswers(deadline), drainStart, deadline);
    }
}
