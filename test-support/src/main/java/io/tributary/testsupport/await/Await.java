package io.tributary.testsupport.await;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes, so tests wait only as long as they must. */
public final class Await {
    private static final long POLL_MILLIS = 10;

    private Await() {
    }

    /** Returns once {@code condition} holds. @throws AssertionError naming {@code what} if it does not in time */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        until(timeout, what, condition::getAsBoolean, Boolean::booleanValue);
    }

    /** Like {@link #until(Duration, String, BooleanSupplier)}, and reports the last observed value on failure. */
    public static <T> void until(Duration timeout, String what, Supplier<T> observed, Predicate<T> ok) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = observed.get();
        while (!ok.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what
                        + (last instanceof Boolean ? "" : " (last seen: " + last + ")"));
            }
            sleep(POLL_MILLIS);
            last = observed.get();
        }
    }

    /**
     * Checks that {@code condition} holds throughout {@code period}, for something that must not happen, such
     * as an acknowledgement that must wait; returns at the end of the period.
     *
     * @throws AssertionError naming {@code what} as soon as it does not hold
     */
    public static void holds(Duration period, String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        long end = start + period.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("after " + Duration.ofNanos(System.nanoTime() - start).toMillis()
                        + " ms, no longer true: " + what);
            }
            sleep(POLL_MILLIS);
        } while (System.nanoTime() < end);
        if (!condition.getAsBoolean()) {
            throw new AssertionError("at the end of " + period.toMillis() + " ms, no longer true: " + what);
        }
    }

    /** Sleeps, turning an interrupt into a test failure (the interrupt flag stays set). */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
