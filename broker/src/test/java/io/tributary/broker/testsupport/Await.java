package io.tributary.broker.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until a deadline, so tests wait only as long as they must. */
public final class Await {
    private Await() {
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            sleep(10);
        }
    }

    /** Like {@link #until} but reports the last observed value on failure. */
    public static <T> void until(Duration timeout, String what, Supplier<T> observed, java.util.function.Predicate<T> ok) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = observed.get();
        while (!ok.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what
                        + " (last seen: " + last + ")");
            }
            sleep(10);
            last = observed.get();
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
