package io.tributary.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesOfAUniformSpreadAreWithinOnePercent() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long micros = 1; micros <= 100_000; micros++) {
            histogram.record(micros * 1_000);
        }
        assertWithinOnePercent(50_000_000L, histogram.percentileNanos(50));
        assertWithinOnePercent(99_000_000L, histogram.percentileNanos(99));
        assertEquals(100_000_000L, histogram.maxNanos());
        assertEquals(100_000, histogram.count());
    }

    @Test
    void smallValuesAreExact() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(3);
        histogram.record(200);
        assertEquals(3, histogram.percentileNanos(50));
        assertEquals(200, histogram.percentileNanos(100));
    }

    @Test
    void mergedHistogramsCountBoth() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(1_000_000);
        b.record(9_000_000);
        a.add(b);
        assertEquals(2, a.count());
        assertEquals(9_000_000, a.maxNanos());
        assertWithinOnePercent(1_000_000, a.percentileNanos(50));
    }

    @Test
    void anEmptyHistogramReportsZero() {
        assertEquals(0, new LatencyHistogram().percentileNanos(99));
    }

    private static void assertWithinOnePercent(long expected, long actual) {
        assertTrue(Math.abs(actual - expected) <= expected / 100, () -> "expected ~" + expected + " but was " + actual);
    }
}
