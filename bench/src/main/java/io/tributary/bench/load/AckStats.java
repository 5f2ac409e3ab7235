package io.tributary.bench.load;

/**
 * What the publishers of one run saw of their acknowledgements: the latency publish → PUBACK of the messages sent
 * within the measured window, and the PUBACKs per whole second since the start of the run. When a route sends the
 * PUBACK only once its sink has the message (a Kafka acknowledgement, a committed row, a webhook's 2xx), these are
 * the end-to-end latency and throughput as the devices see them.
 *
 * <p>Thread-safe: every publisher of a run shares one, and acknowledgements arrive on the clients' I/O threads.
 */
public final class AckStats implements Publisher.AckObserver {

    private final RunClock clock;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final long[] perSecond;
    private long longestNanos;

    /** @param seconds how many whole seconds from the clock's start to count PUBACKs in */
    public AckStats(RunClock clock, int seconds) {
        this.clock = clock;
        this.perSecond = new long[seconds];
    }

    @Override
    public synchronized void accepted(long sentNanos, long ackNanos) {
        longestNanos = Math.max(longestNanos, ackNanos - sentNanos);
        if (clock.inWindow(sentNanos)) {
            latency.record(ackNanos - sentNanos);
        }
        int second = clock.secondOf(ackNanos);
        if (second < perSecond.length) {
            perSecond[second]++;
        }
    }

    /** Publish → PUBACK of the messages sent within the window. */
    public synchronized LatencySummary latency() {
        return LatencySummary.of(latency);
    }

    /**
     * The longest publish → PUBACK of any message of the run, sent in the warm-up, the window or after: a publisher
     * held back for long shows here even when it sent nothing within the window.
     */
    public synchronized long longestNanos() {
        return longestNanos;
    }

    /** How many of the messages sent within the window took at least {@code nanos} from publish to PUBACK. */
    public synchronized long slowerThan(long nanos) {
        return latency.countAtLeast(nanos);
    }

    /** The slowest and silent whole seconds of the window, counted in PUBACKs. */
    public synchronized WindowSeconds window() {
        return WindowSeconds.of(perSecond.clone(), clock);
    }
}
