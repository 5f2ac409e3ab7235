package io.tributary.it.mqtt;

import io.tributary.testsupport.await.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** How the kill tests time a link's return: from the broker listening again to readiness up for good. */
final class StableUp {

    /** How long readiness must say {@code up} without a break for the link to count as back. */
    static final long STABLE_MILLIS = 1000;

    private StableUp() {
    }

    /**
     * Milliseconds from now until {@code state} (a link's readiness check) said {@code up} and kept saying it for
     * {@value #STABLE_MILLIS} ms; -1 when it did not within {@code timeout}.
     */
    static long awaitFrom(Supplier<String> state, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long upSince = -1;
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            if ("up".equals(state.get())) {
                if (upSince < 0) {
                    upSince = now;
                } else if (now - upSince >= TimeUnit.MILLISECONDS.toNanos(STABLE_MILLIS)) {
                    return TimeUnit.NANOSECONDS.toMillis(upSince - start);
                }
            } else {
                upSince = -1;
            }
            Await.sleep(20);
        }
        return -1;
    }
}
