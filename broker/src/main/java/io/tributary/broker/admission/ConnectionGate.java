package io.tributary.broker.admission;

import io.tributary.broker.BrokerConfig;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, as a socket is accepted and before any byte of it is read, whether the broker takes it: at most
 * {@code maxPending} sockets may be waiting to send CONNECT, and one address may open new connections only at
 * {@code maxRatePerAddress} per second after a burst. A socket refused here is closed at once: it has not said
 * which protocol version it speaks, so no CONNACK can be sent, and holding it to read one would give a flood
 * what the limit is meant to keep from it.
 *
 * <p>Memory is bounded: at most {@value #MAX_TRACKED_ADDRESSES} addresses are remembered; a full bucket means
 * nothing and is dropped. When that many addresses are all busy, a further new address is let through untracked
 * (the pending cap and {@code max-connections} still hold).
 *
 * <p>Concurrency: called from every I/O thread once per new socket; the address buckets are guarded by this
 * object's monitor (a connection is not a message), the pending count is atomic.
 */
public final class ConnectionGate {
    /** Addresses whose recent connections are remembered at once. */
    static final int MAX_TRACKED_ADDRESSES = 10_000;
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Refusals are logged together, at most once in this time, so that a flood does not flood the log too. */
    private static final long REPORT_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);

    /** What becomes of a new socket. */
    public enum Verdict {
        ADMITTED,
        /** Too many sockets have not sent CONNECT yet. */
        TOO_MANY_PENDING,
        /** Its address opens connections faster than allowed. */
        RATE_EXCEEDED
    }

    private final BrokerConfig.ConnectionAdmission limits;
    private final LongSupplier nanoClock;
    private final AtomicInteger pending = new AtomicInteger();
    /** Guarded by this. */
    private final Map<InetAddress, TokenBucket> buckets = new HashMap<>();
    /** Guarded by this. */
    private long lastSweepNanos;
    /** Refusals since the last report, and the address of the latest. Guarded by this. */
    private long refusedForRate;
    private long refusedForPending;
    private InetAddress lastRefused;
    private long lastReportNanos;

    public ConnectionGate(BrokerConfig.ConnectionAdmission limits) {
        this(limits, System::nanoTime);
    }

    ConnectionGate(BrokerConfig.ConnectionAdmission limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.lastSweepNanos = nanoClock.getAsLong();
        this.lastReportNanos = lastSweepNanos - REPORT_INTERVAL_NANOS;
    }

    /**
     * Decides on a socket just accepted from {@code address}. An admitted socket holds a pending place until
     * {@link #connectReceived()} gives it back (once, when its first packet arrives or it closes).
     */
    public Verdict admit(InetAddress address) {
        if (!withinRate(address)) {
            return refused(Verdict.RATE_EXCEEDED, address);
        }
        while (true) {
            int now = pending.get();
            if (now >= limits.maxPending()) {
                return refused(Verdict.TOO_MANY_PENDING, address);
            }
            if (pending.compareAndSet(now, now + 1)) {
                return Verdict.ADMITTED;
            }
        }
    }

    /** Counts a refusal, and logs those since the last report if a report is due. */
    private synchronized Verdict refused(Verdict verdict, InetAddress address) {
        if (verdict == Verdict.RATE_EXCEEDED) {
            refusedForRate++;
        } else {
            refusedForPending++;
        }
        lastRefused = address;
        long now = nanoClock.getAsLong();
        if (now - lastReportNanos >= REPORT_INTERVAL_NANOS) {
            log.warn("closed {} new connections at once: {} over max-connection-rate, {} over "
                            + "max-pending-connections (the latest from {}); the next report in a minute at most",
                    refusedForRate + refusedForPending, refusedForRate, refusedForPending,
                    lastRefused == null ? "an unknown address" : lastRefused.getHostAddress());
            refusedForRate = 0;
            refusedForPending = 0;
            lastReportNanos = now;
        }
        return verdict;
    }

    /** An admitted socket sent its first packet, or closed: its pending place is free. */
    public void connectReceived() {
        pending.decrementAndGet();
    }

    /** Sockets admitted that have not sent a packet yet. */
    public int pending() {
        return pending.get();
    }

    private boolean withinRate(InetAddress address) {
        if (limits.maxRatePerAddress() == 0 || address == null
                || (address.isLoopbackAddress() && !limits.rateLimitLoopback())) {
            return true;
        }
        long now = nanoClock.getAsLong();
        synchronized (this) {
            TokenBucket bucket = buckets.get(address);
            if (bucket == null) {
                if (buckets.size() >= MAX_TRACKED_ADDRESSES && !sweep(now)) {
                    return true;
                }
                bucket = new TokenBucket(limits.maxRatePerAddress(), limits.rateBurst(), now);
                buckets.put(address, bucket);
            }
            return bucket.tryTake(now);
        }
    }

    /** Drops the full buckets, at most once a second. @return whether there is room for another address */
    private boolean sweep(long now) {
        if (now - lastSweepNanos >= SWEEP_INTERVAL_NANOS) {
            lastSweepNanos = now;
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
        return buckets.size() < MAX_TRACKED_ADDRESSES;
    }

    /** Addresses remembered now, for tests. */
    synchronized int trackedAddresses() {
        return buckets.size();
    }
}
