package io.tributary.bench.load;

/**
 * Counts latencies in nanoseconds in log-linear buckets (at least 128 per power of two, so a percentile is off by
 * less than 1%), in fixed memory however many values are recorded.
 *
 * <p>Not thread-safe: each subscriber records into its own histogram, and they are merged after the run.
 */
public final class LatencyHistogram {

    private static final int SUB_BUCKET_BITS = 8;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;

    private final long[] counts = new long[(64 - SUB_BUCKET_BITS + 1) * SUB_BUCKETS];
    private long total;
    private long max;

    public void record(long nanos) {
        long value = Math.max(0, nanos);
        counts[index(value)]++;
        total++;
        max = Math.max(max, value);
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    public long count() {
        return total;
    }

    /** How many values are at least {@code nanos} (counted by bucket: off by less than 1% of {@code nanos}). */
    public long countAtLeast(long nanos) {
        long count = 0;
        for (int i = index(Math.max(0, nanos)); i < counts.length; i++) {
            count += counts[i];
        }
        return count;
    }

    public long maxNanos() {
        return max;
    }

    /** The smallest recorded-bucket value below which {@code percentile} percent of the values lie, or 0 if empty. */
    public long percentileNanos(double percentile) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(percentile / 100.0 * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return Math.min(max, highestValueIn(i));
            }
        }
        return max;
    }

    private static int index(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value) - SUB_BUCKET_BITS + 1; // >= 1
        int sub = (int) (value >>> exponent); // the top SUB_BUCKET_BITS bits: in [SUB_BUCKETS / 2, SUB_BUCKETS)
        return exponent * SUB_BUCKETS + sub;
    }

    private static long highestValueIn(int index) {
        int exponent = index / SUB_BUCKETS;
        long sub = index % SUB_BUCKETS;
        if (exponent == 0) {
            return sub;
        }
        return ((sub + 1) << exponent) - 1;
    }
}
