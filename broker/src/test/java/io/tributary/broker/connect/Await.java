package io.tributary.broker.connect;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until a deadline, instead of sleeping for a guessed time. */
final class Await {
    private Await() {
    }

    /** Fails with {@code what} unless {@code condition} holds within {@code timeout}. */
    static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
