package io.tributary.bench.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bench.cluster.ClusterRunResult;
import io.tributary.bench.cluster.ClusterScenario;
import io.tributary.bench.cluster.ClusterSystem;
import io.tributary.bench.cluster.LatencyPercentiles;
import io.tributary.bench.cluster.MessagesTopic;
import io.tributary.bench.load.DrainEnd;
import io.tributary.bench.load.LatencySummary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterReportTest {

    private final ClusterReport report = new ClusterReport(ZonedDateTime.now(), true, Path.of("mosquitto"),
            List.of(), "nodes");

    @Test
    void aRunWhereNothingCrossedNodesIsCalledOutAboveTheTables() {
        String summary = report.summary(List.of(result(ClusterScenario.REMOTE_QOS1, List.of(
                new ClusterRunResult.NodeDelivery("node-1", 100, 100),
                new ClusterRunResult.NodeDelivery("node-2", 100, 0),
                new ClusterRunResult.NodeDelivery("node-3", 100, 0)))));
        assertTrue(summary.contains("**No message crossed nodes** in three-nodes remote-qos1"), summary);
        assertTrue(summary.contains("| 100 / 300 | 0 / 200 | **200** |"), summary);
    }

    @Test
    void runsWhoseSubscribersAreAllOnNodeOneRaiseNoWarning() {
        String summary = report.summary(List.of(result(ClusterScenario.LOCAL_QOS1, List.of(
                new ClusterRunResult.NodeDelivery("node-1", 300, 300),
                new ClusterRunResult.NodeDelivery("node-2", 0, 0),
                new ClusterRunResult.NodeDelivery("node-3", 0, 0)))));
        assertFalse(summary.contains("No message crossed nodes"), summary);
        assertTrue(summary.contains("| 300 / 300 | 0 / 0 | 0 |"), summary);
    }

    private static ClusterRunResult result(ClusterScenario scenario, List<ClusterRunResult.NodeDelivery> byNode) {
        long expected = byNode.stream().mapToLong(ClusterRunResult.NodeDelivery::expected).sum();
        long delivered = byNode.stream().mapToLong(ClusterRunResult.NodeDelivery::delivered).sum();
        LatencyPercentiles latency = new LatencyPercentiles(delivered, 1_000_000, 2_000_000, 3_000_000);
        return new ClusterRunResult(ClusterSystem.THREE_NODES, scenario, 2_000, null, expected, 2_000, 2_000,
                expected, delivered, expected - delivered, 0, byNode, latency, latency, LatencySummary.NONE,
                Map.of("node-1", 30.0, "Kafka", 10.0), 20, 200, 150, Map.of("node-1", 100L << 20),
                MessagesTopic.Size.NONE, DrainEnd.QUIET, Duration.ofSeconds(5), List.of());
    }
}
