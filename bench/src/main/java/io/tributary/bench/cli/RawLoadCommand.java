package io.tributary.bench.cli;

import static io.tributary.bench.cli.BrokerLoadOptions.or;
import static io.tributary.bench.cli.BrokerLoadOptions.seconds;

import io.tributary.bench.raw.RawLoadBenchmark;
import io.tributary.bench.raw.RawLoadReport;
import io.tributary.bench.raw.RawScenario;
import io.tributary.bench.raw.RawSettings;
import io.tributary.bench.report.RunFolders;
import io.tributary.bench.server.BrokerLauncher;
import io.tributary.bench.server.JvmBrokerLauncher;
import io.tributary.bench.server.LauncherJvmDefaults;
import io.tributary.bench.server.MosquittoLauncher;
import io.tributary.bench.server.TributaryApp;
import io.tributary.bench.server.TributaryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code raw-load}: the raw-socket driver (QoS 0 flood, QoS 1 fan-in, paced latency, connection rate) against
 * Mosquitto and Tributary from its jar with a broker-only configuration, once with {@code qos0-when-full: pause}
 * (the default) and once with {@code drop}.
 */
@Command(name = "raw-load", mixinStandardHelpOptions = true,
        description = "Raw-socket driver: QoS 0 flood, QoS 1 fan-in, paced latency and connection rate, Mosquitto "
                + "against Tributary (qos0-when-full pause and drop).")
final class RawLoadCommand implements Callable<Integer> {

    @Mixin RunPlaceOptions places;

    @Option(names = "--quick", description = "short windows: a check, not numbers to quote") boolean quick;
    @Option(names = "--scenarios", split = ",", paramLabel = "LIST",
            defaultValue = "fan-in-qos0-flood,fan-in-qos1,latency-qos0,latency-qos1,connect-rate,idle-connections")
    List<String> scenarios;
    @Option(names = "--brokers", split = ",", paramLabel = "LIST",
            defaultValue = "mosquitto,tributary,tributary-drop",
            description = "in column order; the first is the baseline of the ratios")
    List<String> brokers;
    @Option(names = "--mqtt", paramLabel = "3|5", description = "default 5") Integer mqtt;
    @Option(names = "--publishers", paramLabel = "N", description = "fan-in publishers; default 4") Integer publishers;
    @Option(names = "--payload", paramLabel = "BYTES", description = "at least 20; default 64") Integer payload;
    @Option(names = "--inflight", paramLabel = "N", description = "QoS 1 in flight per publisher; default 64")
    Integer inflight;
    @Option(names = "--warmup", paramLabel = "S", description = "fan-in warm-up") Integer warmup;
    @Option(names = "--duration", paramLabel = "S", description = "fan-in measured window") Integer duration;
    @Option(names = "--rate", paramLabel = "N", description = "latency scenarios' msg/s; default 10000") Integer rate;
    @Option(names = "--latency-warmup", paramLabel = "S") Integer latencyWarmup;
    @Option(names = "--latency-duration", paramLabel = "S") Integer latencyDuration;
    @Option(names = "--clients", paramLabel = "N", description = "connection-rate clients per round; default 1000")
    Integer clients;
    @Option(names = "--concurrency", paramLabel = "N", description = "handshakes at once; default 64")
    Integer concurrency;
    @Option(names = "--connect-threads", paramLabel = "N",
            description = "driver threads opening connections; default 2") Integer connectThreads;
    @Option(names = "--idle-clients", paramLabel = "N", description = "connections the idle scenario holds; default "
            + "10000 (more than about 20,000 use several source addresses, 127.0.0.2 and up)") Integer idleClients;
    @Option(names = "--max-queued", defaultValue = "100000", paramLabel = "N",
            description = "Mosquitto max_queued_messages (Tributary keeps its defaults)")
    int maxQueued;
    @Option(names = "--app-jar", defaultValue = "app/target/tributary.jar", paramLabel = "PATH") Path appJar;
    @Option(names = "--tributary-jvm", paramLabel = "FLAGS",
            description = "Tributary's heap and collector flags, in place of bin/tributary's defaults, to compare "
                    + "collectors and heap sizes (one string, split on spaces)") String tributaryJvm;
    @Option(names = "--launcher", defaultValue = "bin/tributary", paramLabel = "PATH",
            description = "the script whose default JVM flags Tributary runs with unless --tributary-jvm is given")
    Path launcher;
    @Option(names = "--pid-dir", paramLabel = "DIR", description = "where each broker keeps its PID file") Path pidDir;

    @Override
    public Integer call() throws Exception {
        RawSettings settings = settings();
        List<RawScenario> chosen = Choices.pick(scenarios, RawScenario.ALL, RawScenario::id, "scenario");
        Map<String, BrokerLauncher> known = new LinkedHashMap<>();
        known.put("mosquitto", new MosquittoLauncher(places.mosquitto, maxQueued, TributaryServer.maxInFlight(),
                List.of("sys_interval 1")));
        if (brokers.stream().anyMatch(b -> b.startsWith("tributary"))) {
            if (!Files.isRegularFile(appJar)) {
                throw new IllegalArgumentException(appJar + " is missing: build it with "
                        + "mvn -q -DskipTests package -pl app -am, or pass --app-jar");
            }
            List<String> flags = jvmFlags(tributaryJvm != null ? tributaryJvm
                    : String.join(" ", LauncherJvmDefaults.read(launcher)));
            known.put("tributary", tributary(appJar, "tributary", "Tributary (pause)", "pause", flags));
            known.put("tributary-drop", tributary(appJar, "tributary-drop", "Tributary (drop)", "drop", flags));
        }
        List<BrokerLauncher> launchers = Choices.pick(brokers, known, "broker");
        RunFolders folders = RunFolders.now("-raw-load", places.workDir, places.resultsDir);
        RawLoadReport report = new RawLoadReport(folders.started(), quick, settings, launchers, places.mosquitto);
        new RawLoadBenchmark(settings, chosen, launchers).run(folders,
                pidDir != null ? pidDir : folders.workRoot().resolve("pids"), report);
        return 0;
    }

    /** The standard or quick settings with what the command line gave. */
    RawSettings settings() {
        RawSettings base = quick ? RawSettings.quick() : RawSettings.standard();
        if (mqtt != null && mqtt != 3 && mqtt != 5) {
            throw new IllegalArgumentException("--mqtt must be 3 or 5, was " + mqtt);
        }
        int version = mqtt == null ? base.mqttVersion() : mqtt == 5 ? 5 : 4;
        return new RawSettings(version, or(publishers, base.publishers()),
                or(payload, base.payloadBytes()), or(inflight, base.inFlight()), seconds(warmup, base.warmUp()),
                seconds(duration, base.measure()), or(rate, base.rate()),
                seconds(latencyWarmup, base.latencyWarmUp()), seconds(latencyDuration, base.latencyMeasure()),
                or(clients, base.clients()), or(concurrency, base.concurrency()),
                or(connectThreads, base.connectThreads()), or(idleClients, base.idleClients()), base.drainTimeout());
    }

    /**
     * The benchmark's shared flags (add-opens, exit on OutOfMemoryError, IPv4), with {@code replacement} (if any) in
     * place of its heap and collector flags.
     */
    static List<String> jvmFlags(String replacement) {
        if (replacement == null || replacement.isBlank()) {
            return JvmBrokerLauncher.SHARED_FLAGS;
        }
        List<String> flags = new java.util.ArrayList<>(List.of(replacement.trim().split("\\s+")));
        JvmBrokerLauncher.SHARED_FLAGS.stream()
                .filter(flag -> !flag.startsWith("-Xmx") && !flag.equals("-XX:+UseG1GC"))
                .forEach(flags::add);
        return List.copyOf(flags);
    }

    /** Tributary from its jar, broker only (no routes), defaults but the listener, $SYS every second and this mode. */
    private static TributaryApp tributary(Path appJar, String id, String name, String qos0WhenFull,
                                          List<String> flags) {
        return new TributaryApp(appJar, id, name, "`tributary.jar run`, broker-only configuration, defaults except "
                + "`sys-interval: 1s` and `qos0-when-full: " + qos0WhenFull + "`; JVM flags: "
                + String.join(" ", flags),
                port -> TributaryApp.brokerSection(port) + "  sys-interval: 1s\n  qos0-when-full: " + qos0WhenFull
                        + "\n", flags);
    }
}
