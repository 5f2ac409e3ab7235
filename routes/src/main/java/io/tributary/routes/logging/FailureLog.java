package io.tributary.routes.logging;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Logs a repeated failure once per key per interval, with the count of the ones left out.
 *
 * <p>A route whose target is down fails every message, possibly hundreds a second; one WARN line per route and
 * reason every interval says as much to an operator without burying everything else. The first failure of a key
 * is logged at once; the next ones within the interval are only counted; the first one after the interval is
 * logged with {@code (N more like it in the 10 s after the previous line)}. A count left when the failures stop
 * is not written on its own: the failures stopped, which the lack of lines says.
 *
 * <p>Bounded: at most {@code maxKeys} keys are remembered. When that many are remembered, keys quiet for longer
 * than the interval are forgotten first (with their counts); if all are active, the new keys share one overflow slot, so at most one
 * more line per interval is written for all of them.
 *
 * <p>Thread-safe: the keys are guarded by this object's lock; the message is built and written outside it.
 */
public final class FailureLog {

    /** The interval used unless told otherwise: a route failing continuously writes six lines a minute. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    /** Keys remembered unless told otherwise: far more than routes times reasons in any configuration. */
    public static final int DEFAULT_MAX_KEYS = 1_000;

    private static final Key OVERFLOW = new Key("", "");

    private final Logger logger;
    private final long intervalNanos;
    private final int maxKeys;
    private final LongSupplier nanoTime;
    private final Map<Key, Slot> slots = new LinkedHashMap<>();

    /** Writes to {@code logger} at most one line per key every {@link #DEFAULT_INTERVAL}. */
    public FailureLog(Logger logger) {
        this(logger, DEFAULT_INTERVAL, DEFAULT_MAX_KEYS, System::nanoTime);
    }

    /**
     * @param nanoTime a monotonic clock in nanoseconds, as {@link System#nanoTime()}; tests pass their own
     */
    public FailureLog(Logger logger, Duration interval, int maxKeys, LongSupplier nanoTime) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1: " + maxKeys);
        }
        this.logger = Objects.requireNonNull(logger, "logger");
        this.intervalNanos = interval.toNanos();
        this.maxKeys = maxKeys;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Logs {@code message} at WARN unless a line for the same route and reason was written within the interval.
     *
     * @param route the route's (or webhook's, or sink's) configured name
     * @param reason what went wrong, as a short stable key such as {@code "connection refused"} or an HTTP
     *     status: failures with the same key are counted together, so keep variable parts (ids, offsets) out
     * @param message the line, built only when it is written
     * @return whether the line was written
     */
    public boolean warn(String route, String reason, Supplier<String> message) {
        return warn(route, reason, message, null);
    }

    /**
     * As {@link #warn(String, String, Supplier)}; when the line is written and DEBUG is enabled for the logger,
     * {@code detail}'s stack trace follows it at DEBUG. WARN lines stay one line each.
     */
    public boolean warn(String route, String reason, Supplier<String> message, Throwable detail) {
        if (!logger.isWarnEnabled()) {
            return false;
        }
        long suppressed = admit(new Key(route, reason));
        if (suppressed < 0) {
            return false;
        }
        String line = message.get();
        if (suppressed > 0) {
            line = line + " (" + suppressed + " more like it in the " + intervalText() + " after the previous line)";
        }
        logger.warn(line);
        if (detail != null && logger.isDebugEnabled()) {
            logger.debug("stack trace of the failure above", detail);
        }
        return true;
    }

    /** The number of keys remembered, for tests of the bound. */
    synchronized int keys() {
        return slots.size();
    }

    /** -1 when the line is left out; else the count of the ones left out before it. */
    private synchronized long admit(Key key) {
        long now = nanoTime.getAsLong();
        Slot slot = slots.get(key);
        if (slot == null) {
            if (slots.size() >= maxKeys) {
                forgetQuietKeys(now);
            }
            if (slots.size() >= maxKeys) {
                slot = slots.computeIfAbsent(OVERFLOW, k -> new Slot());
            } else {
                slot = new Slot();
                slots.put(key, slot);
            }
        }
        if (slot.written && now - slot.writtenAt < intervalNanos) {
            slot.suppressed++;
            return -1;
        }
        long suppressed = slot.suppressed;
        slot.written = true;
        slot.writtenAt = now;
        slot.suppressed = 0;
        return suppressed;
    }

    private void forgetQuietKeys(long now) {
        Iterator<Slot> it = slots.values().iterator();
        while (it.hasNext()) {
            Slot slot = it.next();
            if (now - slot.writtenAt >= intervalNanos) {
                it.remove();
            }
        }
    }

    private String intervalText() {
        long millis = intervalNanos / 1_000_000;
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private record Key(String route, String reason) {
    }

    /** Guarded by the enclosing FailureLog's lock. */
    private static final class Slot {
        boolean written;
        long writtenAt;
        long suppressed;
    }
}
