package io.tributary.broker.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link TokenBucket}, on a clock the test moves. */
class TokenBucketTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void burstIsTakenAtOnceThenTokensComeBackAtTheRate() {
        TokenBucket bucket = new TokenBucket(2, 3, 0);
        assertTrue(bucket.tryTake(0));
        assertTrue(bucket.tryTake(0));
        assertTrue(bucket.tryTake(0));
        assertFalse(bucket.tryTake(0), "the burst is three");
        assertFalse(bucket.tryTake(SECOND / 4), "half a token after a quarter second");
        assertTrue(bucket.tryTake(SECOND / 2), "one token after half a second at 2/s");
        assertFalse(bucket.tryTake(SECOND / 2));
    }

    @Test
    void refillStopsAtTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 2, 0);
        assertTrue(bucket.isFull(0));
        bucket.tryTake(0);
        assertFalse(bucket.isFull(0));
        assertTrue(bucket.isFull(60 * SECOND));
        assertTrue(bucket.tryTake(60 * SECOND));
        assertTrue(bucket.tryTake(60 * SECOND));
        assertFalse(bucket.tryTake(60 * SECOND), "an idle minute does not save up more than the burst");
    }

    @Test
    void takingMoreThanThereIsRunsADebtAndSaysHowLongItLasts() {
        TokenBucket bucket = new TokenBucket(100, 100, 0);
        assertEquals(0, bucket.take(100, 0), "the burst is free");
        assertEquals(SECOND / 2, bucket.take(50, 0), "50 tokens of debt at 100/s: half a second");
        assertEquals(SECOND / 4, bucket.take(0, SECOND / 4), "a quarter second later, a quarter is left");
        assertEquals(0, bucket.take(0, SECOND / 2));
    }
}
