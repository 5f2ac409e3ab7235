package io.tributary.bench.load;

import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Samples resident memory every 200 ms on a daemon thread of its own and keeps the highest value read. */
public final class RssSampler implements AutoCloseable {

    private static final long SAMPLE_MILLIS = 200;

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "rss-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong peak = new AtomicLong(-1);

    /** Starts sampling; {@code rss} is empty when the memory cannot be read (then the sample is skipped). */
    public void start(Supplier<OptionalLong> rss) {
        executor.scheduleAtFixedRate(() -> rss.get().ifPresent(bytes -> peak.accumulateAndGet(bytes, Math::max)),
                0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The highest value read so far, or -1. */
    public long peak() {
        return peak.get();
    }

    /** Stops sampling; may be called more than once. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
