package io.tributary.bench.load;

/**
 * The percentiles a report shows of a {@link LatencyHistogram}.
 *
 * @param samples how many values were recorded; with none, the percentiles mean nothing
 */
public record LatencySummary(long samples, long p50Nanos, long p99Nanos, long maxNanos) {

    public static final LatencySummary NONE = new LatencySummary(0, 0, 0, 0);

    public static LatencySummary of(LatencyHistogram histogram) {
        return new LatencySummary(histogram.count(), histogram.percentileNanos(50), histogram.percentileNanos(99),
                histogram.maxNanos());
    }
}
