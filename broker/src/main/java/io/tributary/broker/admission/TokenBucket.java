package io.tributary.broker.admission;

/**
 * A token bucket: tokens come back at a steady rate up to a burst, and each event takes some. It measures a rate
 * without remembering individual events, so one costs the same memory whatever the traffic.
 *
 * <p>Concurrency: not thread-safe; each owner guards its buckets (the connection's event loop, or a monitor).
 * Time is passed in, in nanoseconds, so that tests need no clock.
 */
public final class TokenBucket {
    private static final double NANOS_PER_SECOND = 1e9;

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    /**
     * @param perSecond tokens that come back each second, above 0
     * @param burst the most tokens the bucket holds; it starts full
     */
    public TokenBucket(double perSecond, double burst, long nowNanos) {
        if (perSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("a token bucket needs a rate and a burst above 0");
        }
        this.perNano = perSecond / NANOS_PER_SECOND;
        this.capacity = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /**
     * Takes {@code amount} tokens even if there are not as many, going into debt: what happened has happened.
     *
     * @return nanoseconds until the debt is paid back, 0 if there is none
     */
    public long take(double amount, long nowNanos) {
        refill(nowNanos);
        tokens -= amount;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
    }

    /** Whether the bucket is full: it then remembers nothing, and can be dropped and made again. */
    public boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            lastNanos = nowNanos;
        }
    }
}
