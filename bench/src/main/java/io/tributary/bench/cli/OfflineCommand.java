package io.tributary.bench.cli;

import static io.tributary.bench.cli.BrokerLoadOptions.or;
import static io.tributary.bench.cli.BrokerLoadOptions.seconds;

import io.tributary.bench.load.LoadSettings;
import io.tributary.bench.offline.OfflineBenchmark;
import io.tributary.bench.offline.OfflineSettings;
import io.tributary.bench.report.RunFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code offline-sessions}: QoS 1 fan-in into offline persistent sessions, Tributary against Mosquitto. */
@Command(name = "offline-sessions", mixinStandardHelpOptions = true,
        description = "QoS 1 fan-in into offline persistent sessions: Tributary (broker.persistence sync) against "
                + "Mosquitto (persistence true, autosave_interval 1).")
final class OfflineCommand implements Callable<Integer> {

    @Mixin RunPlaceOptions places;

    @Option(names = "--quick", description = "1 s warm-up, 3 s measured") boolean quick;
    @Option(names = "--publishers", paramLabel = "N", description = "default 4") Integer publishers;
    @Option(names = "--sessions", paramLabel = "N", description = "offline persistent sessions; default 1")
    Integer sessions;
    @Option(names = "--mqtt", paramLabel = "3|5", description = "the publishers' MQTT version; default 5")
    Integer mqtt;
    @Option(names = "--warmup", paramLabel = "S") Integer warmup;
    @Option(names = "--duration", paramLabel = "S") Integer duration;
    @Option(names = "--drain", paramLabel = "S", description = "how long the sessions may take to read back")
    Integer drain;
    @Option(names = "--payload", paramLabel = "BYTES", description = "at least 16; default 64") Integer payload;
    @Option(names = "--inflight", paramLabel = "N", description = "publishes without PUBACK per publisher; default 64")
    Integer inflight;
    @Option(names = "--max-queued", paramLabel = "N", description = "messages one session may queue, both brokers")
    Integer maxQueued;

    @Option(names = "--persistence", paramLabel = "MODE", description = "Tributary's broker.persistence; default sync")
    String persistence;

    @Option(names = "--brokers", split = ",", paramLabel = "LIST", defaultValue = "tributary,mosquitto")
    List<String> brokers;

    @Option(names = "--app-jar", defaultValue = "app/target/tributary.jar", paramLabel = "PATH") Path appJar;

    @Option(names = "--pid-dir", paramLabel = "DIR", description = "where every process started keeps its PID file")
    Path pidDir;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(appJar)) {
            throw new IllegalArgumentException(appJar + " is missing: build it with "
                    + "mvn -q -DskipTests package -pl app -am, or pass --app-jar");
        }
        OfflineSettings base = quick ? OfflineSettings.quick() : OfflineSettings.standard();
        LoadSettings load = base.load();
        LoadSettings chosen = new LoadSettings(or(mqtt, load.mqttVersion()), seconds(warmup, load.warmUp()),
                seconds(duration, load.measure()), seconds(drain, load.drainTimeout()),
                or(payload, load.payloadBytes()), or(inflight, load.inFlight()), 0, load.clientIoThreads());
        OfflineSettings settings = new OfflineSettings(chosen, or(publishers, base.publishers()),
                or(sessions, base.sessions()), persistence != null ? persistence : base.tributaryPersistence(),
                or(maxQueued, base.maxQueued()));
        RunFolders folders = RunFolders.now("-offline-sessions", places.workDir, places.resultsDir);
        new OfflineBenchmark(settings, appJar, places.mosquitto, quick).run(folders,
                pidDir != null ? pidDir : folders.workRoot().resolve("pids"), brokers);
        return 0;
    }
}
