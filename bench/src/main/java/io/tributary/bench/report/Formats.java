package io.tributary.bench.report;

import java.util.Locale;

/** Number formats shared by the report tables. */
final class Formats {

    static final String NONE = "—";

    private Formats() {
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    static String millis(long nanos) {
        double ms = nanos / 1e6;
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%,.0f", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
        return String.format(Locale.ROOT, "%.2f", ms);
    }

    /** Latency of the messages sent in the window; when none of them arrived there is none to show. */
    static String latency(long samples, long nanos) {
        return samples == 0 ? "none arrived" : millis(nanos);
    }

    /** The latency for ratios: NaN when none of the messages sent in the window arrived. */
    static double latencyValue(long samples, long nanos) {
        return samples == 0 ? Double.NaN : nanos;
    }

    static String megabytes(long bytes) {
        return bytes < 0 ? NONE : String.format(Locale.ROOT, "%,.1f", bytes / (1024.0 * 1024.0));
    }

    static String kilobytes(double bytes) {
        return bytes < 0 ? NONE : String.format(Locale.ROOT, "%,.1f", bytes / 1024.0);
    }

    static String percent(double fraction) {
        if (fraction >= 1.0) {
            return "100%";
        }
        // Never round a loss away: 99.9996% stays below 100%.
        return String.format(Locale.ROOT, "%.4f%%", Math.floor(fraction * 1e6) / 1e4);
    }

    static String micros(double value) {
        return value < 0 ? NONE : String.format(Locale.ROOT, "%.1f", value);
    }

    static String cpu(double percent) {
        return percent < 0 ? NONE : String.format(Locale.ROOT, "%.0f%%", percent);
    }

    static String ratio(double ours, double theirs) {
        if (Double.isNaN(ours) || Double.isNaN(theirs) || theirs <= 0 || ours < 0) {
            return NONE;
        }
        return String.format(Locale.ROOT, "%.2f×", ours / theirs);
    }
}
