package io.tributary.bench.cluster;

import io.tributary.bench.server.ProcStats;
import io.tributary.testsupport.kafka.KafkaServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a started system costs with no client at all: the CPU of each node and of Kafka over a quiet stretch, in % of
 * one core. For a clustered system that is the cluster's fixed cost (its readers polling Kafka, its checkpoints),
 * which the per-message figures of a loaded run include. Used by the driver's main thread.
 */
final class IdleCost {

    private IdleCost() {
    }

    /** Sleeps {@code over} and returns the CPU of every node, then Kafka's, over it (-1 where unknown). */
    static Map<String, Double> measure(RunningCluster cluster, KafkaServer kafka, Duration over)
            throws InterruptedException {
        Map<String, Long> pids = new LinkedHashMap<>();
        cluster.nodes().forEach(node -> pids.put(node.name(), node.pid()));
        pids.put(ClusterScenarioRunner.KAFKA, kafka.isRunning() ? kafka.pid() : -1);
        Map<String, OptionalLong> start = new LinkedHashMap<>();
        pids.forEach((name, pid) -> start.put(name, ProcStats.cpuNanos(pid)));
        long startNanos = System.nanoTime();
        Thread.sleep(over.toMillis());
        long elapsed = System.nanoTime() - startNanos;
        Map<String, Double> percent = new LinkedHashMap<>();
        pids.forEach((name, pid) -> percent.put(name, ProcStats.cpuPercent(start.get(name), ProcStats.cpuNanos(pid),
                elapsed)));
        return percent;
    }
}
