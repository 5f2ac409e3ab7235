package io.tributary.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bench.load.Arrivals;
import io.tributary.bench.load.LatencySummary;
import io.tributary.bench.load.WindowSeconds;
import io.tributary.bench.sinks.SinkRunResult;
import io.tributary.bench.sinks.SinkScenario;
import io.tributary.bench.sinks.SinkSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkReportTest {

    private static SinkRunResult sql(String column, double rowsPerSecond, long accepted, long arrived) {
        return new SinkRunResult(SinkScenario.SQL, column, null, accepted, accepted, 0, 0, rowsPerSecond,
                rowsPerSecond, new Arrivals(arrived, 0, 0, accepted - arrived, 0), 0, 0,
                new LatencySummary(100, 5_000_000, 20_000_000, 30_000_000), LatencySummary.NONE,
                new WindowSeconds(1000, 0, 10), 0, 40_000_000, 60, 70, 80, 40, 30, 170, 300L << 20, 310L << 20, true, 0,
                Duration.ZERO,
                Map.of("transactions (batches) that wrote the rows", "42"), List.of());
    }

    @Test
    void theSummaryNamesTheBestBatchSizeAndLossesStandOut() {
        SinkReport report = new SinkReport(SinkSettings.standard());
        report.add(sql("batch 50", 40_000, 1000, 1000));
        report.add(sql("batch 500", 60_000, 1000, 997));
        report.add(SinkRunResult.failed(SinkScenario.SQL, "batch 2,000", "did not start", false, List.of()));

        String summary = report.renderSummary();
        assertTrue(summary.contains("| metric | SQL, batch 50 | SQL, batch 500 | SQL, batch 2,000 |"), summary);
        assertTrue(summary.contains("Best SQL batch size in this run: **500** rows: 60,000 rows committed per second, "
                + "publish → PUBACK p50 5.00 ms, p99 20.0 ms."), summary);
        String section = report.renderScenario(SinkScenario.SQL);
        assertTrue(section.contains("**MISSING: with batch 500, Tributary acknowledged 3 QoS 1 messages"), section);
        assertTrue(section.contains("| transactions (batches) that wrote the rows | 42 | 42 | failed |"), section);
        assertTrue(section.contains("- batch 2,000: failed: did not start"), section);
        assertTrue(section.contains("| of it, other processes (no part of the run) | 20% | 20% | failed |"), section);
        assertEquals("batch 500", SinkReport.best(List.of(sql("batch 50", 1, 1, 1), sql("batch 500", 2, 1, 1)))
                .orElseThrow().column());
    }
}
