package io.tributary.bench.cli;

import static io.tributary.bench.cli.BrokerLoadOptions.or;
import static io.tributary.bench.cli.BrokerLoadOptions.seconds;

import io.tributary.bench.cluster.ClusterBenchmark;
import io.tributary.bench.cluster.ClusterScenario;
import io.tributary.bench.cluster.ClusterSettings;
import io.tributary.bench.cluster.ClusterSystem;
import io.tributary.bench.cluster.RunningCluster;
import io.tributary.bench.report.ClusterReport;
import io.tributary.bench.report.RunFolders;
import io.tributary.bench.server.LauncherJvmDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cluster}: one node, a one-node cluster and three nodes through one Kafka, under the same MQTT load. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Several Tributary nodes as one broker through Kafka: delivery, latency and CPU per message "
                + "of a single node, a one-node cluster and three nodes (issue 17).")
final class ClusterCommand implements Callable<Integer> {

    @Mixin RunPlaceOptions places;

    @Option(names = "--quick", description = "2 s warm-up, 5 s measured: a check, not numbers to quote") boolean quick;

    @Option(names = "--systems", split = ",", paramLabel = "LIST", defaultValue = "single,one-node-cluster,three-nodes",
            description = "which systems, in order: single, one-node-cluster, three-nodes")
    List<String> systems;

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST",
            defaultValue = "remote-qos1,local-qos1,remote-qos0,local-qos0",
            description = "remote-qos1, local-qos1, remote-qos0, local-qos0 (remote runs on three nodes only)")
    List<String> scenarios;

    @Option(names = "--rate", paramLabel = "N", description = "one offered load, msg/s over all publishers; "
            + "default 2000") Integer rate;
    @Option(names = "--rates", split = ",", paramLabel = "LIST", description = "several offered loads, one run each, "
            + "e.g. 2000,10000") List<Integer> rates;
    @Option(names = "--publishers", paramLabel = "N", description = "publishers, all on node 1; default 20")
    Integer publishers;
    @Option(names = "--subscribers", paramLabel = "N", description = "subscribers, each with its own share of the "
            + "messages; default 30") Integer subscribers;
    @Option(names = "--warmup", paramLabel = "S") Integer warmup;
    @Option(names = "--duration", paramLabel = "S") Integer duration;
    @Option(names = "--drain", paramLabel = "S") Integer drain;
    @Option(names = "--payload", paramLabel = "BYTES", description = "at least 16") Integer payload;
    @Option(names = "--inflight", paramLabel = "N", description = "QoS 1 publishes without PUBACK per publisher")
    Integer inflight;
    @Option(names = "--probe-timeout", paramLabel = "S", description = "how long to wait for every subscriber to get "
            + "a probe message before measuring; default 30 (10 with --quick)") Integer probeTimeout;
    @Option(names = "--app-jar", defaultValue = "app/target/tributary.jar", paramLabel = "PATH") Path appJar;
    @Option(names = "--launcher", defaultValue = "bin/tributary", paramLabel = "PATH",
            description = "the script whose default JVM flags every node runs with") Path launcher;
    @Option(names = "--pid-dir", paramLabel = "DIR", description = "where every process started keeps its PID file")
    Path pidDir;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(appJar)) {
            throw new IllegalArgumentException(appJar + " is missing: build it with "
                    + "mvn -q -DskipTests package -pl app -am, or pass --app-jar");
        }
        ClusterSettings settings = settings();
        List<ClusterSystem> pickedSystems = Choices.pick(systems, ClusterSystem.ALL, ClusterSystem::id, "system");
        List<ClusterScenario> pickedScenarios = Choices.pick(scenarios, ClusterScenario.ALL, ClusterScenario::id,
                "scenario");
        List<String> jvmFlags = RawLoadCommand.jvmFlags(String.join(" ", LauncherJvmDefaults.read(launcher)));
        RunFolders folders = RunFolders.now("-cluster", places.workDir, places.resultsDir);
        ClusterReport report = new ClusterReport(folders.started(), quick, places.mosquitto, jvmFlags,
                RunningCluster.describeNodes());
        new ClusterBenchmark(settings, pickedSystems, pickedScenarios, appJar, jvmFlags, quick).run(folders,
                pidDir != null ? pidDir : folders.workRoot().resolve("pids"), report);
        return 0;
    }

    /** The standard or quick settings with what the command line gave. */
    ClusterSettings settings() {
        ClusterSettings base = quick ? ClusterSettings.quick() : ClusterSettings.standard();
        if (rate != null && rates != null) {
            throw new IllegalArgumentException("give --rate or --rates, not both");
        }
        List<Integer> offered = rates != null ? rates : rate != null ? List.of(rate) : base.rates();
        return new ClusterSettings(or(publishers, base.publishers()), or(subscribers, base.subscribers()), offered,
                seconds(warmup, base.warmUp()), seconds(duration, base.measure()), seconds(drain, base.drainTimeout()),
                or(payload, base.payloadBytes()), or(inflight, base.inFlight()), base.clientIoThreads(),
                seconds(probeTimeout, base.probeTimeout()), base.kafkaWarmUp(), base.idle());
    }
}
