package io.tributary.bench.kafka;

import io.tributary.bench.report.KafkaReport;
import io.tributary.bench.report.Progress;
import io.tributary.bench.report.ReportDocument;
import io.tributary.bench.report.ReportHeading;
import io.tributary.bench.report.RunFolders;
import io.tributary.bench.server.JvmBrokerLauncher;
import io.tributary.bench.server.StopOnExit;
import io.tributary.testsupport.kafka.KafkaServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The MQTT QoS 1 → Kafka comparison ({@code BenchMain kafka}): starts one Kafka in its own JVM, then, scenario by
 * scenario, each system afresh against a fresh topic on it, runs the same load, and writes a markdown report with
 * the ratios reference / other.
 */
public final class KafkaComparison {

    /** Kafka's JVM: the full JIT and a heap that does not need to grow during the run. */
    private static final List<String> KAFKA_JVM_FLAGS = List.of("-Xms512m", "-Xmx1g", "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError", "-Djava.net.preferIPv4Stack=true");

    private final KafkaLoadSettings settings;
    private final List<KafkaScenario> scenarios;
    private final List<BridgeSystem> systems;
    private final String reference;
    private final Path mosquitto;
    private final boolean quick;
    private final KafkaLoad load;

    /**
     * @param reference the display name of the system in the numerator of every ratio
     * @param mosquitto the Mosquitto binary, for the report's machine facts
     */
    public KafkaComparison(KafkaLoadSettings settings, List<KafkaScenario> scenarios, List<BridgeSystem> systems,
                           String reference, Path mosquitto, boolean quick) {
        this(settings, scenarios, systems, reference, mosquitto, quick, new KafkaScenarioRunner(settings));
    }

    /** With another driver than the HiveMQ-client one. */
    public KafkaComparison(KafkaLoadSettings settings, List<KafkaScenario> scenarios, List<BridgeSystem> systems,
                           String reference, Path mosquitto, boolean quick, KafkaLoad load) {
        this.load = load;
        this.settings = settings;
        this.scenarios = List.copyOf(scenarios);
        this.systems = List.copyOf(systems);
        this.reference = reference;
        this.mosquitto = mosquitto;
        this.quick = quick;
    }

    /**
     * Runs everything and writes the report; returns its file.
     *
     * @param pidDir where every process started keeps its PID file while it runs
     */
    public Path run(RunFolders folders, Path pidDir) throws IOException, InterruptedException {
        ReportDocument document = new ReportDocument(header(folders.started()));
        KafkaReport report = new KafkaReport(systems.stream().map(BridgeSystem::displayName).toList(), reference,
                settings);
        measure(folders.stamp(), folders.workRoot(), pidDir,
                (scenario, bySystem) -> document.add(report.scenario(scenario, bySystem)));
        return folders.writeReport(quick, document.render(List.of()));
    }

    /**
     * Starts Kafka, warms it up, runs every scenario against every system (each afresh, on a fresh topic), and stops
     * Kafka; hands the results of each scenario to {@code onScenario} as soon as it is done.
     *
     * @param stamp names the topics
     * @param workRoot a fresh folder for Kafka's data and every system's configuration and logs
     * @param pidDir where every process started keeps its PID file while it runs
     */
    public void measure(String stamp, Path workRoot, Path pidDir,
                        BiConsumer<KafkaScenario, Map<String, KafkaRunResult>> onScenario)
            throws IOException, InterruptedException {
        Files.createDirectories(workRoot);
        Files.createDirectories(pidDir);
        StopOnExit stopOnExit = new StopOnExit("stop-systems-under-test");

        try (KafkaServer kafka = stopOnExit.watch(startKafka(workRoot, pidDir))) {
            Duration warmUp = kafkaWarmUp();
            long warmUpRecords = KafkaWarmUp.run(kafka, settings.partitions(), settings.payloadBytes(), warmUp);
            Progress.say("Kafka warmed up: %,d records in %d s from the driver's own producer", warmUpRecords,
                    warmUp.toSeconds());
            if (!quick && !scenarios.isEmpty() && !systems.isEmpty()) {
                // Measured first, a system ran 1.5-2.3x slower than measured second whatever its build: Kafka and
                // the driver were still warming. One run of the first system, not reported, puts every system
                // measured after it in the same place.
                KafkaScenario first = scenarios.get(0);
                BridgeSystem system = systems.get(0);
                KafkaRunResult warm = runOnce(first, system, "warm-up-" + stamp, kafka, workRoot.resolve("warm-up"),
                        pidDir, stopOnExit);
                Progress.say("warm-up run (not reported): %s", summary(warm));
            }
            for (KafkaScenario scenario : scenarios) {
                Map<String, KafkaRunResult> bySystem = new LinkedHashMap<>();
                for (BridgeSystem system : systems) {
                    KafkaRunResult result = runOnce(scenario, system, stamp, kafka,
                            workRoot.resolve(scenario.id() + "-" + system.id()), pidDir, stopOnExit);
                    bySystem.put(system.displayName(), result);
                    Progress.say("%s: %s", scenario.id(), summary(result));
                }
                onScenario.accept(scenario, bySystem);
            }
        } finally {
            stopOnExit.forgetAll();
        }
    }

    /** One system afresh on a fresh topic, under one scenario's load; the system and the topic go afterwards. */
    private KafkaRunResult runOnce(KafkaScenario scenario, BridgeSystem system, String stamp, KafkaServer kafka,
                                   Path workDir, Path pidDir, StopOnExit stopOnExit) throws InterruptedException {
        String topic = "bench-" + scenario.id() + "-" + system.id() + "-" + stamp;
        Progress.say("%s: %s starting, Kafka topic %s", scenario.id(), system.displayName(), topic);
        if (!kafka.isRunning()) {
            return KafkaRunResult.failed(system.displayName(), scenario,
                    "Kafka is not running any more; last log lines: " + kafka.logTail(3), true, List.of());
        }
        kafka.createTopic(topic, settings.partitions());
        RunningBridge bridge = null;
        try {
            bridge = system.start(workDir, pidDir, kafka.bootstrapServers(), topic);
            stopOnExit.watch(bridge);
            double loadBefore = loadAverage();
            KafkaRunResult result = load.run(system.displayName(), bridge, kafka, topic, scenario);
            List<String> notes = new ArrayList<>(result.notes());
            // The machine may be shared: the load says how much the figures of this run can be trusted.
            notes.add(String.format(Locale.ROOT, "1-minute load average at the start / end of the run: %.2f / %.2f",
                    loadBefore, loadAverage()));
            if (!kafka.isRunning()) {
                notes.add("Kafka died during the run; last log lines: " + kafka.logTail(3));
            }
            return result.withNotes(notes);
        } catch (IOException e) {
            return KafkaRunResult.failed(system.displayName(), scenario, "did not start: " + e.getMessage(), false,
                    List.of());
        } finally {
            if (bridge != null) {
                stopOnExit.forget(bridge);
                bridge.close();
            }
            deleteTopic(kafka, topic);
        }
    }

    /**
     * Starts the one Kafka of a run in its own JVM, with the flags of {@link #kafkaSettings()}: its data in
     * {@code workRoot/kafka/data} (deleted by its {@code close}), its log in {@code workRoot/kafka/kafka.log} (kept).
     */
    public static KafkaServer startKafka(Path workRoot, Path pidDir) {
        Progress.say("starting Kafka");
        List<String> jvmFlags = new ArrayList<>(KAFKA_JVM_FLAGS);
        jvmFlags.add(JvmBrokerLauncher.LOGGING_FLAG);
        KafkaServer kafka = KafkaServer.builder().name("kafka").directory(workRoot.resolve("kafka"))
                .jvmFlags(jvmFlags).pidFile(pidDir.resolve("kafka.pid")).timeout(Duration.ofSeconds(60)).start();
        Progress.say("Kafka ready on %s (pid %d)", kafka.bootstrapServers(), kafka.pid());
        return kafka;
    }

    /** The machine's 1-minute load average, or -1 where /proc/loadavg cannot be read. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The Kafka of every run, for the reports. */
    public static String kafkaSettings() {
        return "Apache Kafka 4.1.1 (EmbeddedKafkaMain: single-node KRaft, broker and controller in one process, "
                + "PLAINTEXT on 127.0.0.1, 2 network and 2 I/O threads, data on the local disk without forced "
                + "flushes, as Kafka's defaults); JVM flags: " + String.join(" ", KAFKA_JVM_FLAGS);
    }

    /** Deletes a topic after its run, so that the data of one run does not weigh on the next; never throws. */
    public static void deleteTopic(KafkaServer kafka, String topic) {
        try {
            kafka.deleteTopic(topic);
        } catch (IllegalStateException e) {
            System.err.println("[bench] could not delete topic " + topic + ": " + e);
        }
    }

    /**
     * Before the first system: 30 s (10 s in quick mode). With 4 to 10 s, the first system of a run still met a cold
     * Kafka: issue 15's link measured 0.40-1.53x the Camel bridge depending on which of the two ran first.
     */
    private Duration kafkaWarmUp() {
        return Duration.ofSeconds(quick ? 10 : 30);
    }

    private List<String> header(ZonedDateTime now) {
        List<String> lines = ReportHeading.linesWithSource("MQTT QoS 1 → Kafka benchmark: " + String.join(" vs ",
                systems.stream().map(BridgeSystem::displayName).toList()), now, quick, "BenchMain kafka", mosquitto,
                "bench/run.sh kafka");
        lines.add("- Load: " + load.describe(settings));
        lines.add("- One Kafka for the whole run, in its own JVM; every system writes to a fresh topic of "
                + settings.partitions() + " partition" + (settings.partitions() == 1 ? "" : "s")
                + " (one replica), created before it starts and deleted after its run. Each system is started "
                + "afresh for every scenario, its processes stopped by their PIDs afterwards; systems run one after "
                + "the other.");
        lines.add("- Once Kafka is up, the driver produces to and consumes from scratch topics for "
                + kafkaWarmUp().toSeconds() + " s, in rounds of " + KafkaWarmUp.ROUND.toSeconds() + " s each with a "
                + "fresh topic, producer and consumer (acks=all, idempotent, 256 in flight)"
                + (quick ? "." : "; then the first system runs the first scenario once, not reported: measured "
                + "first without it, a system ran 1.5-2.3x slower than measured second whatever its build (Kafka "
                + "and the driver were still warming)."));
        lines.add("- Before measuring, the driver publishes probe messages until one is read back from Kafka, so "
                + "that the route runs end to end; probes are not counted.");
        lines.add("- A Kafka consumer in the driver reads the topic from the beginning while the run goes on. "
                + "Latency is the time `poll` returned a record minus the send time in its payload, both "
                + "System.nanoTime() of the driver, for the messages sent within the window. \"Visible per second\" "
                + "counts the records read within the window.");
        lines.add("- **MISSING** counts messages the system acknowledged with PUBACK that were not in Kafka when "
                + "the drain ended (every acknowledged message arrived, no new record for 5 s, or the time limit). "
                + "Duplicates are records of a (publisher, sequence) read before.");
        lines.add("- CPU is utime+stime from /proc/PID/stat over the measured window, summed over the system's "
                + "processes (Tributary: one JVM; the baseline: Mosquitto and the Camel bridge JVM); RSS is VmRSS "
                + "summed the same way. Kafka's and the driver's CPU are shown apart: all of them share the machine.");
        lines.add("- Driver JVM flags: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        lines.add("- Ratios are " + reference + " / other: above 1 means " + reference + " is higher (better for "
                + "records/s, worse for latency, CPU and memory).");
        lines.add("");
        lines.add("## Systems");
        lines.add("");
        lines.add("- Kafka: " + kafkaSettings());
        systems.forEach(s -> lines.add("- " + s.displayName() + ": " + s.settings()));
        return lines;
    }

    private String summary(KafkaRunResult r) {
        if (!r.ran()) {
            return r.system() + " FAILED: " + r.failure();
        }
        double windowSeconds = settings.measure().toNanos() / 1e9;
        return String.format(Locale.ROOT, "%s: %,.0f records/s visible in Kafka, %,.0f PUBACKs/s, MISSING %,d, "
                        + "duplicates %,d, p50 %.2f ms, p99 %.2f ms, CPU %.0f%% (%.1f µs/record), Kafka CPU %.0f%%, "
                        + "driver CPU %.0f%%, drain %.1f s (%s)%s",
                r.system(), r.visiblePerSecond(), r.acceptedPerSecond(), r.missing(), r.duplicates(),
                r.visibleLatency().p50Nanos() / 1e6, r.visibleLatency().p99Nanos() / 1e6, r.systemCpuPercent(), r.systemCpuMicrosPerRecord(windowSeconds),
                r.kafkaCpuPercent(), r.driverCpuPercent(), r.drainTime().toMillis() / 1000.0,
                KafkaReport.describe(r.drainEnd()),
                r.survived() ? "" : ", DIED");
    }

}
