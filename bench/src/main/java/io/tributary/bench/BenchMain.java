package io.tributary.bench;

import io.tributary.bench.connections.IdleMemoryResult;
import io.tributary.bench.connections.IdleMemoryRun;
import io.tributary.bench.kafka.BridgeSystem;
import io.tributary.bench.kafka.KafkaComparison;
import io.tributary.bench.kafka.KafkaLoadSettings;
import io.tributary.bench.kafka.KafkaScenario;
import io.tributary.bench.kafka.MosquittoCamelSystem;
import io.tributary.bench.kafka.TributarySystem;
import io.tributary.bench.load.ClientLogWatch;
import io.tributary.bench.load.LoadSettings;
import io.tributary.bench.load.Scenario;
import io.tributary.bench.load.ScenarioResult;
import io.tributary.bench.load.ScenarioRunner;
import io.tributary.bench.load.Target;
import io.tributary.bench.report.ComparisonReport;
import io.tributary.bench.report.ReportHeading;
import io.tributary.bench.server.BrokerLauncher;
import io.tributary.bench.server.HiveMqCeServer;
import io.tributary.bench.server.JvmBrokerLauncher;
import io.tributary.bench.server.MosquittoLauncher;
import io.tributary.bench.server.RunningBroker;
import io.tributary.bench.server.TributaryServer;
import io.tributary.bench.sinks.SinkBenchmark;
import io.tributary.bench.sinks.SinkScenario;
import io.tributary.bench.sinks.SinkSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The benchmark's command line.
 *
 * <ul>
 *   <li>{@code compare}: starts Tributary, Mosquitto and HiveMQ CE one after the other, each in its own process on a
 *       free loopback port, runs every scenario and the idle-client memory test against each, and writes a markdown
 *       report with ratios (what {@code bench/run.sh} calls);</li>
 *   <li>{@code drive}: runs scenarios against any broker already running at {@code --host}/{@code --port};</li>
 *   <li>{@code idle}: holds idle connections against any broker and reports its memory (with {@code --pid}).</li>
 *   <li>{@code kafka}: MQTT QoS 1 → Kafka end to end: Tributary's configured route ({@code tributary run}) against
 *       Mosquitto plus a plain Camel bridge (camel-paho → camel-kafka), both writing to one real Kafka in its own
 *       JVM, with a markdown report (what {@code bench/run.sh kafka} calls);</li>
 *   <li>{@code sinks}: Tributary's MQTT QoS 1 routes into a real PostgreSQL (several batch sizes) and into a webhook
 *       served by the driver, and into Kafka for context, with a markdown report (what {@code bench/run.sh sinks}
 *       calls).</li>
 * </ul>
 */
public final class BenchMain {

    private static final String REFERENCE = "Tributary";
    private static final Set<String> LOAD_OPTIONS = Set.of("scenarios", "mqtt", "warmup", "duration", "drain",
            "payload", "inflight", "qos0-rate", "client-threads");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            System.out.println(usage());
            return;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        int code;
        try {
            code = switch (args[0]) {
                case "compare" -> compare(rest);
                case "drive" -> drive(rest);
                case "idle" -> idle(rest);
                case "kafka" -> kafka(rest);
                case "sinks" -> sinks(rest);
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            };
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage());
            code = 2;
        }
        System.exit(code);
    }

    private static String usage() {
        return """
                usage:
                  compare [--quick] [--brokers tributary,mosquitto,hivemq] [--idle-clients N] [--skip-memory]
                          [--mosquitto PATH] [--max-queued N] [--mosquitto-inflight N]
                          [--results-dir DIR] [--work-dir DIR] [--pid-file FILE]
                          [LOAD OPTIONS]
                  drive   --port P [--host H] [--pid PID] [--name NAME] [LOAD OPTIONS]
                  idle    --port P [--host H] [--pid PID] [--name NAME] [--idle-clients N]
                  kafka   [--quick] [--systems tributary,mosquitto-camel] [--scenarios kafka-qos1,kafka-qos1-paced]
                          [--publishers N] [--warmup S] [--duration S] [--drain S] [--payload BYTES] [--inflight N]
                          [--rate MSG_PER_S_PER_PUBLISHER] [--partitions N] [--client-threads N]
                          [--app-jar app/target/tributary.jar] [--mosquitto PATH] [--max-queued N]
                          [--mosquitto-inflight N] [--results-dir DIR] [--work-dir DIR] [--pid-dir DIR]
                  sinks   [--quick] [--scenarios sql,webhook,kafka] [--batch-sizes 50,500,2000] [--batch-time-ms 20]
                          [--concurrency 16] [--http-threads 16] [--publishers N] [--warmup S] [--duration S]
                          [--drain S] [--payload BYTES] [--inflight N] [--partitions N] [--client-threads N]
                          [--app-jar app/target/tributary.jar] [--postgres-dir DIR] [--results-dir DIR]
                          [--work-dir DIR] [--pid-dir DIR]
                LOAD OPTIONS:
                  --scenarios fan-in-qos0,fan-in-qos1,fan-out-qos0,fan-out-qos1,fan-in-qos0-paced,fan-out-qos0-paced
                  --mqtt 3|5
                  --warmup S  --duration S  --drain S  --payload BYTES  --inflight N  --qos0-rate MSG_PER_S_PER_PUBLISHER
                  --client-threads N (Netty threads of the driver's clients, 0 = library default)
                """;
    }

    // ---------------------------------------------------------------------------------------------------- compare

    private static int compare(List<String> args) throws Exception {
        Set<String> valued = new java.util.HashSet<>(LOAD_OPTIONS);
        valued.addAll(Set.of("brokers", "idle-clients", "mosquitto", "max-queued", "mosquitto-inflight",
                "results-dir", "work-dir", "pid-file"));
        Options options = Options.parse(args, valued, Set.of("quick", "skip-memory"));
        boolean quick = options.flag("quick");
        LoadSettings settings = loadSettings(options, quick);
        List<Scenario> scenarios = scenarios(options, quick);
        int idleClients = options.integer("idle-clients", 10_000);
        int maxQueued = options.integer("max-queued", 100_000);
        Path mosquitto = Path.of(options.string("mosquitto", "/usr/sbin/mosquitto"));

        Map<String, BrokerLauncher> known = new LinkedHashMap<>();
        known.put("tributary", new JvmBrokerLauncher("tributary", REFERENCE, TributaryServer.class.getName(),
                JvmBrokerLauncher.SHARED_FLAGS, TributaryServer.settings(), List.of()));
        known.put("mosquitto", new MosquittoLauncher(mosquitto, maxQueued, options.integer("mosquitto-inflight",
                TributaryServer.maxInFlight())));
        known.put("hivemq", new JvmBrokerLauncher("hivemq", "HiveMQ CE", HiveMqCeServer.class.getName(),
                JvmBrokerLauncher.SHARED_FLAGS, "embedded edition 2025.5, in-memory persistence, max-queue-size "
                + maxQueued + " (strategy discard), other settings default", List.of(Integer.toString(maxQueued))));
        List<BrokerLauncher> launchers = new ArrayList<>();
        for (String id : options.string("brokers", String.join(",", known.keySet())).split(",")) {
            BrokerLauncher launcher = known.get(id.trim());
            if (launcher == null) {
                throw new IllegalArgumentException("unknown broker " + id + "; known: " + known.keySet());
            }
            launchers.add(launcher);
        }

        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String stamp = now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss", Locale.ROOT));
        Path workRoot = Path.of(options.string("work-dir", "bench/target/bench-run")).resolve(stamp);
        Files.createDirectories(workRoot);
        Path pidFile = Path.of(options.string("pid-file", workRoot.resolve("broker.pid").toString()));
        Path resultsDir = Path.of(options.string("results-dir", "bench/results"));

        AtomicReference<RunningBroker> current = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            RunningBroker broker = current.get();
            if (broker != null) {
                broker.close();
            }
        }, "stop-broker-under-test"));

        List<String> names = launchers.stream().map(BrokerLauncher::displayName).toList();
        ComparisonReport report = new ComparisonReport(names, REFERENCE);
        List<String> header = header(now, quick, settings, launchers, mosquitto, idleClients, options);
        System.out.println(String.join("\n", header));
        ScenarioRunner runner = new ScenarioRunner(settings, ClientLogWatch.install());
        for (Scenario scenario : scenarios) {
            Map<String, ScenarioResult> byBroker = new LinkedHashMap<>();
            for (BrokerLauncher launcher : launchers) {
                progress("%s: %s starting", scenario.name(), launcher.displayName());
                ScenarioResult result;
                try (RunningBroker broker = RunningBroker.start(launcher,
                        workRoot.resolve(scenario.name() + "-" + launcher.id()), pidFile, Duration.ofSeconds(30))) {
                    current.set(broker);
                    result = runner.run(target(broker), scenario);
                    if (!broker.isAlive()) {
                        result = result.withBrokerDeath(broker.exitNote("the broker process"));
                    }
                } catch (IOException e) {
                    result = ScenarioResult.failed(launcher.displayName(), scenario, settings,
                            "broker did not start: " + e.getMessage(), false, List.of());
                } finally {
                    current.set(null);
                }
                report.add(result);
                byBroker.put(launcher.displayName(), result);
                progress("%s: %s", scenario.name(), summary(result));
            }
            System.out.println();
            System.out.println(report.renderScenario(scenario, byBroker));
        }
        if (!options.flag("skip-memory")) {
            IdleMemoryRun memoryRun = new IdleMemoryRun(Duration.ofSeconds(2), Duration.ofSeconds(3));
            for (BrokerLauncher launcher : launchers) {
                progress("memory: %s starting, then %,d idle clients", launcher.displayName(), idleClients);
                IdleMemoryResult result;
                try (RunningBroker broker = RunningBroker.start(launcher, workRoot.resolve("memory-" + launcher.id()),
                        pidFile, Duration.ofSeconds(30))) {
                    current.set(broker);
                    result = memoryRun.run(target(broker), idleClients);
                    if (!broker.isAlive()) {
                        List<String> notes = new ArrayList<>(result.notes());
                        notes.add(broker.exitNote("the broker process"));
                        result = new IdleMemoryResult(result.broker(), result.clients(), result.rssIdleBytes(),
                                result.rssWithClientsBytes(), result.outcome(), result.closedByBroker(), false, notes);
                    }
                } catch (IOException e) {
                    result = new IdleMemoryResult(launcher.displayName(), idleClients, -1, -1, null, 0, false,
                            List.of("broker did not start: " + e.getMessage()));
                } finally {
                    current.set(null);
                }
                report.add(result);
                progress("memory: %s: idle %s MB, with clients %s MB (%s)", result.broker(),
                        mb(result.rssIdleBytes()), mb(result.rssWithClientsBytes()),
                        result.outcome() == null ? "no clients" : result.outcome());
            }
            System.out.println();
            System.out.println(report.renderMemory());
        }
        Files.createDirectories(resultsDir);
        Path file = resultsDir.resolve(stamp + (quick ? "-quick" : "") + ".md");
        Files.writeString(file, report.render(header));
        progress("report written to %s; broker logs under %s", file, workRoot);
        return 0;
    }

    private static List<String> header(ZonedDateTime now, boolean quick, LoadSettings settings,
                                       List<BrokerLauncher> launchers, Path mosquitto, int idleClients,
                                       Options options) {
        List<String> lines = ReportHeading.lines("End-to-end benchmark: " + String.join(" vs ",
                launchers.stream().map(BrokerLauncher::displayName).toList()), now, quick, "BenchMain compare",
                mosquitto);
        lines.add("");
        lines.add("## Method");
        lines.add("");
        lines.add(String.format(Locale.ROOT, "- Load: %s, %d-byte payloads, at most %d publishes in flight per "
                        + "publisher (QoS 1: until PUBACK; QoS 0: until written to the socket)%s; %d s warm-up, then "
                        + "%d s measured; drain up to %d s after publishing stops; the driver's clients share %s.",
                settings.mqttVersionName(),
                settings.payloadBytes(), settings.inFlight(), settings.qos0RatePerPublisher() > 0
                        ? ", unpaced QoS 0 scenarios held to " + settings.qos0RatePerPublisher() + " msg/s per publisher"
                        : "",
                settings.warmUp().toSeconds(), settings.measure().toSeconds(), settings.drainTimeout().toSeconds(),
                settings.clientIoThreads() == 0 ? "the client library's default I/O threads"
                        : settings.clientIoThreads() + " I/O thread" + (settings.clientIoThreads() == 1 ? "" : "s")));
        lines.add("- Each broker runs in its own process on a free 127.0.0.1 port, started afresh for every scenario "
                + "and stopped by its PID afterwards; scenarios run one at a time, brokers one after the other.");
        lines.add("- The driver is one JVM on the same machine (HiveMQ MQTT client); latency is receive time minus "
                + "the send time carried in the payload, both System.nanoTime() of the driver. Driver JVM flags: "
                + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        lines.add("- Memory is VmRSS from /proc/PID/status of the broker process; CPU is utime+stime from "
                + "/proc/PID/stat over the measured window.");
        lines.add("- Idle clients: " + String.format(Locale.ROOT, "%,d", idleClients) + " raw MQTT 3.1.1 "
                + "connections (CONNECT with clean session, keep-alive 0, then nothing), opened 200 at a time.");
        lines.add("- Ratios are Tributary / other: above 1 means Tributary is higher (better for msg/s, worse for "
                + "latency and memory).");
        lines.add("");
        lines.add("## Brokers");
        lines.add("");
        launchers.forEach(l -> lines.add("- " + l.displayName() + ": " + l.settings()));
        return lines;
    }

    private static Target target(RunningBroker broker) {
        return new Target(broker.name(), RunningBroker.HOST, broker.port(), broker.pid());
    }

    // ------------------------------------------------------------------------------------------------------ drive

    private static int drive(List<String> args) throws Exception {
        Set<String> valued = new java.util.HashSet<>(LOAD_OPTIONS);
        valued.addAll(Set.of("host", "port", "pid", "name"));
        Options options = Options.parse(args, valued, Set.of("quick"));
        if (!options.has("port")) {
            throw new IllegalArgumentException("drive needs --port");
        }
        LoadSettings settings = loadSettings(options, options.flag("quick"));
        Target target = new Target(options.string("name", "broker"), options.string("host", "127.0.0.1"),
                options.integer("port", 1883), options.longValue("pid", 0));
        ScenarioRunner runner = new ScenarioRunner(settings, ClientLogWatch.install());
        ComparisonReport report = new ComparisonReport(List.of(target.name()), null);
        for (Scenario scenario : scenarios(options, options.flag("quick"))) {
            progress("%s: running against %s:%d", scenario.name(), target.host(), target.port());
            ScenarioResult result = runner.run(target, scenario);
            report.add(result);
            progress("%s: %s", scenario.name(), summary(result));
            System.out.println(report.renderScenario(scenario, Map.of(target.name(), result)));
        }
        return 0;
    }

    // ------------------------------------------------------------------------------------------------------- idle

    private static int idle(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("host", "port", "pid", "name", "idle-clients"), Set.of());
        if (!options.has("port")) {
            throw new IllegalArgumentException("idle needs --port");
        }
        Target target = new Target(options.string("name", "broker"), options.string("host", "127.0.0.1"),
                options.integer("port", 1883), options.longValue("pid", 0));
        IdleMemoryResult result = new IdleMemoryRun(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .run(target, options.integer("idle-clients", 10_000));
        ComparisonReport report = new ComparisonReport(List.of(target.name()), null);
        report.add(result);
        System.out.println(report.renderMemory());
        return 0;
    }

    // ------------------------------------------------------------------------------------------------------ kafka

    private static int kafka(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("systems", "scenarios", "publishers", "warmup", "duration",
                "drain", "payload", "inflight", "rate", "partitions", "client-threads", "app-jar", "mosquitto",
                "max-queued", "mosquitto-inflight", "results-dir", "work-dir", "pid-dir"), Set.of("quick"));
        boolean quick = options.flag("quick");
        KafkaLoadSettings base = quick ? KafkaLoadSettings.quick() : KafkaLoadSettings.standard();
        KafkaLoadSettings settings = new KafkaLoadSettings(
                options.integer("publishers", base.publishers()),
                Duration.ofSeconds(options.integer("warmup", (int) base.warmUp().toSeconds())),
                Duration.ofSeconds(options.integer("duration", (int) base.measure().toSeconds())),
                Duration.ofSeconds(options.integer("drain", (int) base.drainTimeout().toSeconds())),
                options.integer("payload", base.payloadBytes()),
                options.integer("inflight", base.inFlight()),
                options.integer("rate", base.pacedRatePerPublisher()),
                options.integer("partitions", base.partitions()),
                options.integer("client-threads", base.clientIoThreads()));
        List<KafkaScenario> scenarios = options.has("scenarios")
                ? Arrays.stream(options.string("scenarios", "").split(",")).map(String::trim)
                        .map(KafkaScenario::named).toList()
                : KafkaScenario.ALL;
        Path appJar = Path.of(options.string("app-jar", "app/target/tributary.jar"));
        if (!Files.isRegularFile(appJar)) {
            throw new IllegalArgumentException(appJar + " is missing: build it with "
                    + "mvn -q -DskipTests package -pl app -am, or pass --app-jar");
        }
        Path mosquitto = Path.of(options.string("mosquitto", "/usr/sbin/mosquitto"));
        Map<String, BridgeSystem> known = new LinkedHashMap<>();
        known.put("tributary", new TributarySystem(appJar));
        known.put("mosquitto-camel", new MosquittoCamelSystem(new MosquittoLauncher(mosquitto,
                options.integer("max-queued", 100_000),
                options.integer("mosquitto-inflight", TributaryServer.maxInFlight()))));
        List<BridgeSystem> systems = new ArrayList<>();
        for (String id : options.string("systems", String.join(",", known.keySet())).split(",")) {
            BridgeSystem system = known.get(id.trim());
            if (system == null) {
                throw new IllegalArgumentException("unknown system " + id + "; known: " + known.keySet());
            }
            systems.add(system);
        }

        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String stamp = now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss", Locale.ROOT));
        Path workRoot = Path.of(options.string("work-dir", "bench/target/bench-run")).resolve(stamp + "-kafka");
        Path pidDir = Path.of(options.string("pid-dir", workRoot.resolve("pids").toString()));
        Path resultsDir = Path.of(options.string("results-dir", "bench/results"));
        new KafkaComparison(settings, scenarios, systems, REFERENCE, mosquitto, quick)
                .run(now, stamp, workRoot, pidDir, resultsDir);
        return 0;
    }

    // ------------------------------------------------------------------------------------------------------ sinks

    private static int sinks(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("scenarios", "batch-sizes", "batch-time-ms", "concurrency",
                "http-threads", "publishers", "warmup", "duration", "drain", "payload", "inflight", "partitions",
                "client-threads", "app-jar", "mosquitto", "postgres-dir", "results-dir", "work-dir", "pid-dir"),
                Set.of("quick"));
        boolean quick = options.flag("quick");
        SinkSettings base = quick ? SinkSettings.quick() : SinkSettings.standard();
        KafkaLoadSettings load = base.load();
        SinkSettings settings = new SinkSettings(new KafkaLoadSettings(
                options.integer("publishers", load.publishers()),
                Duration.ofSeconds(options.integer("warmup", (int) load.warmUp().toSeconds())),
                Duration.ofSeconds(options.integer("duration", (int) load.measure().toSeconds())),
                Duration.ofSeconds(options.integer("drain", (int) load.drainTimeout().toSeconds())),
                options.integer("payload", load.payloadBytes()),
                options.integer("inflight", load.inFlight()),
                load.pacedRatePerPublisher(),
                options.integer("partitions", load.partitions()),
                options.integer("client-threads", load.clientIoThreads())),
                options.has("batch-sizes") ? Arrays.stream(options.string("batch-sizes", "").split(","))
                        .map(String::trim).map(Integer::parseInt).toList() : base.batchSizes(),
                Duration.ofMillis(options.integer("batch-time-ms", (int) base.batchTime().toMillis())),
                options.integer("concurrency", base.webhookConcurrency()),
                options.integer("http-threads", base.webhookThreads()));
        List<SinkScenario> scenarios = options.has("scenarios")
                ? Arrays.stream(options.string("scenarios", "").split(",")).map(String::trim)
                        .map(SinkScenario::named).toList()
                : List.of(SinkScenario.values());
        Path appJar = Path.of(options.string("app-jar", "app/target/tributary.jar"));
        if (!Files.isRegularFile(appJar)) {
            throw new IllegalArgumentException(appJar + " is missing: build it with "
                    + "mvn -q -DskipTests package -pl app -am, or pass --app-jar");
        }
        Path mosquitto = Path.of(options.string("mosquitto", "/usr/sbin/mosquitto"));
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String stamp = now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss", Locale.ROOT));
        Path workDir = Path.of(options.string("work-dir", "bench/target/bench-run"));
        Path workRoot = workDir.resolve(stamp + "-sinks");
        Path pidDir = Path.of(options.string("pid-dir", workRoot.resolve("pids").toString()));
        Path resultsDir = Path.of(options.string("results-dir", "bench/results"));
        Path postgresDir = Path.of(options.string("postgres-dir", workDir.resolve("postgres-binaries").toString()));
        new SinkBenchmark(settings, scenarios, appJar, mosquitto, quick)
                .run(now, stamp, workRoot, pidDir, resultsDir, postgresDir);
        return 0;
    }

    // ----------------------------------------------------------------------------------------------------- common

    private static LoadSettings loadSettings(Options options, boolean quick) {
        int mqtt = options.integer("mqtt", 3);
        LoadSettings base = quick ? LoadSettings.quick(mqtt) : LoadSettings.standard(mqtt);
        return new LoadSettings(mqtt,
                Duration.ofSeconds(options.integer("warmup", (int) base.warmUp().toSeconds())),
                Duration.ofSeconds(options.integer("duration", (int) base.measure().toSeconds())),
                Duration.ofSeconds(options.integer("drain", (int) base.drainTimeout().toSeconds())),
                options.integer("payload", base.payloadBytes()),
                options.integer("inflight", base.inFlight()),
                options.integer("qos0-rate", base.qos0RatePerPublisher()),
                options.integer("client-threads", base.clientIoThreads()));
    }

    private static List<Scenario> scenarios(Options options, boolean quick) {
        if (!options.has("scenarios")) {
            return quick ? Scenario.MAIN : Scenario.ALL;
        }
        return Arrays.stream(options.string("scenarios", "").split(",")).map(String::trim).map(Scenario::named)
                .toList();
    }

    private static String summary(ScenarioResult r) {
        if (!r.ran()) {
            return r.broker() + " FAILED: " + r.failure();
        }
        return String.format(Locale.ROOT, "%s: %,.0f msg/s delivered, %,.0f accepted/s, %s %,d, p50 %.2f ms, "
                        + "p99 %.2f ms, RSS %s MB, broker CPU %.0f%%%s", r.broker(), r.deliveredPerSecond(),
                r.acceptedPerSecond(), r.scenario().qos() > 0 ? "LOST" : "dropped by broker", r.brokerLost(), r.p50Nanos() / 1e6,
                r.p99Nanos() / 1e6, mb(r.rssEndBytes()), r.brokerCpuPercent(),
                r.brokerSurvived() ? "" : ", BROKER DIED");
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }
}
