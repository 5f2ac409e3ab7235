package io.tributary.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AckStatsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void latencyCountsOnlyWhatWasSentInTheWindowAndEverySecondCountsItsPubacks() {
        RunClock clock = new RunClock(0, 2 * SECOND, 3 * SECOND); // window: seconds 2, 3 and 4
        AckStats acks = new AckStats(clock, 10);
        acks.accepted(SECOND, SECOND + 5_000_000);              // warm-up: a PUBACK, no latency
        acks.accepted(2 * SECOND, 2 * SECOND + 1_000_000);      // 1 ms
        acks.accepted(2 * SECOND + 1, 2 * SECOND + 3_000_000);  // 3 ms
        acks.accepted(4 * SECOND, 4 * SECOND + 2_000_000);      // 2 ms; second 3 has no PUBACK

        LatencySummary latency = acks.latency();
        assertEquals(3, latency.samples());
        assertEquals(2_000_000, latency.p50Nanos(), 2_000_000 / 100);
        assertEquals(2_999_999, latency.maxNanos());
        WindowSeconds window = acks.window();
        assertEquals(3, window.whole());
        assertEquals(1, window.silent());
        assertEquals(0, window.slowest());
    }
}
