package io.tributary.bench.cluster;

import io.tributary.bench.kafka.KafkaComparison;
import io.tributary.bench.kafka.KafkaWarmUp;
import io.tributary.bench.report.ClusterReport;
import io.tributary.bench.report.Progress;
import io.tributary.bench.report.ReportDocument;
import io.tributary.bench.report.RunFolders;
import io.tributary.bench.server.StopOnExit;
import io.tributary.testsupport.kafka.KafkaServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The cluster benchmark ({@code BenchMain cluster}, issue 17): starts one Kafka in its own JVM, then each system in
 * turn (one node without {@code cluster:}, one node with it, three nodes with it) with a fresh topic prefix, runs
 * every scenario at every rate against it, stops it, and writes a markdown report. Runs on the driver's main thread.
 */
public final class ClusterBenchmark {

    private final ClusterSettings settings;
    private final List<ClusterSystem> systems;
    private final List<ClusterScenario> scenarios;
    private final Path appJar;
    private final List<String> jvmFlags;
    private final boolean quick;
    /** Each system's CPU with no client, measured right after it started. */
    private final Map<ClusterSystem, Map<String, Double>> idle = new EnumMap<>(ClusterSystem.class);

    /** @param jvmFlags every node's JVM flags ({@code bin/tributary}'s defaults) */
    public ClusterBenchmark(ClusterSettings settings, List<ClusterSystem> systems, List<ClusterScenario> scenarios,
                            Path appJar, List<String> jvmFlags, boolean quick) {
        this.settings = settings;
        this.systems = List.copyOf(systems);
        this.scenarios = List.copyOf(scenarios);
        this.appJar = appJar;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.quick = quick;
    }

    /** Runs everything, prints the tables as they come and writes the report; returns its file. */
    public Path run(RunFolders folders, Path pidDir, ClusterReport report) throws IOException, InterruptedException {
        Path workRoot = folders.workRoot();
        Files.createDirectories(workRoot);
        Files.createDirectories(pidDir);
        ClusterScenarioRunner runner = new ClusterScenarioRunner(settings);
        ReportDocument document = new ReportDocument(report.header(runner.describe()));
        List<ClusterRunResult> results = new ArrayList<>();
        idle.clear();
        StopOnExit stopOnExit = new StopOnExit("stop-cluster-under-test");
        try (KafkaServer kafka = stopOnExit.watch(KafkaComparison.startKafka(workRoot, pidDir))) {
            long warmRecords = KafkaWarmUp.run(kafka, 24, settings.payloadBytes(), settings.kafkaWarmUp());
            Progress.say("Kafka warmed up: %,d records in %d s from the driver's own producer", warmRecords,
                    settings.kafkaWarmUp().toSeconds());
            for (ClusterSystem system : systems) {
                List<ClusterRunResult> ofSystem = runSystem(system, runner, folders.stamp(), kafka, workRoot, pidDir,
                        stopOnExit);
                results.addAll(ofSystem);
                document.add(report.system(system, idle.get(system), ofSystem));
            }
        } finally {
            stopOnExit.forgetAll();
        }
        document.addFirst(report.summary(results));
        return folders.writeReport(quick, document.render(List.of()));
    }

    /** One system afresh with a fresh topic prefix: every scenario that means something on it, at every rate. */
    private List<ClusterRunResult> runSystem(ClusterSystem system, ClusterScenarioRunner runner, String stamp,
                                             KafkaServer kafka, Path workRoot, Path pidDir, StopOnExit stopOnExit)
            throws InterruptedException {
        String prefix = "bench-" + stamp + "-" + system.id() + ".";
        List<ClusterRunResult> results = new ArrayList<>();
        Progress.say("%s: starting %d node(s)%s", system.id(), system.nodes(),
                system.clustered() ? ", topic prefix " + prefix : "");
        RunningCluster cluster;
        try {
            cluster = stopOnExit.watch(RunningCluster.start(system, appJar, jvmFlags, kafka.bootstrapServers(), prefix,
                    workRoot.resolve(system.id()), pidDir));
        } catch (IOException | RuntimeException e) {
            for (ClusterScenario scenario : scenarios.stream().filter(s -> s.runsOn(system.nodes())).toList()) {
                for (int rate : settings.rates()) {
                    results.add(ClusterRunResult.failed(system, scenario, rate, "did not start: " + e.getMessage(),
                            List.of()));
                }
            }
            Progress.say("%s did not start: %s", system.id(), e.getMessage());
            return results;
        }
        try (MessagesTopic topic = new MessagesTopic(kafka.bootstrapServers(), prefix)) {
            idle.put(system, IdleCost.measure(cluster, kafka, settings.idle()));
            if (!quick && system == systems.get(0)) {
                warmUp(system, cluster, kafka, topic, runner);
            }
            for (ClusterScenario scenario : scenarios) {
                if (!scenario.runsOn(system.nodes())) {
                    continue;
                }
                for (int rate : settings.rates()) {
                    Progress.say("%s, %s, %,d msg/s", system.id(), scenario.id(), rate);
                    double loadBefore = KafkaComparison.loadAverage();
                    ClusterRunResult result = cluster.isAlive()
                            ? runner.run(system, cluster, kafka, topic, scenario, rate)
                            : ClusterRunResult.failed(system, scenario, rate, "a node died before this run",
                                    cluster.deaths());
                    List<String> notes = new ArrayList<>(result.notes());
                    notes.add(String.format(Locale.ROOT, "1-minute load average at the start / end of the run: "
                            + "%.2f / %.2f", loadBefore, KafkaComparison.loadAverage()));
                    result = result.withNotes(notes);
                    results.add(result);
                    Progress.say("%s", ClusterReport.oneLine(result));
                }
            }
        } finally {
            stopOnExit.forget(cluster);
            cluster.close();
            if (system.clustered()) {
                // So that one system's partitions do not weigh on the next.
                for (String topic : List.of("messages", "sessions", "retained")) {
                    KafkaComparison.deleteTopic(kafka, prefix + topic);
                }
            }
        }
        return results;
    }

    /**
     * One run of the first scenario that means something on the first system, not reported: measured cold, the first
     * system of a run pays for the JIT of the driver and of Kafka's paths that every later system finds warm.
     */
    private void warmUp(ClusterSystem system, RunningCluster cluster, KafkaServer kafka, MessagesTopic topic,
                        ClusterScenarioRunner runner) throws InterruptedException {
        for (ClusterScenario scenario : scenarios) {
            if (scenario.runsOn(system.nodes())) {
                Progress.say("%s: warm-up run of %s (not reported)", system.id(), scenario.id());
                ClusterRunResult warm = runner.run(system, cluster, kafka, topic, scenario, settings.rates().get(0));
                Progress.say("warm-up run (not reported): %s", ClusterReport.oneLine(warm));
                return;
            }
        }
    }
}
