package io.tributary.bench.cluster;

import io.tributary.bench.load.LatencyHistogram;

/**
 * The percentiles the cluster report shows of a {@link LatencyHistogram}: the median, p99 and p99.9. Immutable.
 *
 * @param samples how many values were recorded; with none, the percentiles mean nothing
 */
public record LatencyPercentiles(long samples, long p50Nanos, long p99Nanos, long p999Nanos) {

    public static LatencyPercentiles of(LatencyHistogram histogram) {
        return new LatencyPercentiles(histogram.count(), histogram.percentileNanos(50),
                histogram.percentileNanos(99), histogram.percentileNanos(99.9));
    }
}
