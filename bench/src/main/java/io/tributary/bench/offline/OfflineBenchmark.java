package io.tributary.bench.offline;

import io.tributary.bench.report.OfflineReport;
import io.tributary.bench.report.Progress;
import io.tributary.bench.report.RunFolders;
import io.tributary.bench.server.BrokerLauncher;
import io.tributary.bench.server.TributaryApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * QoS 1 fan-in into offline persistent sessions: Tributary from its jar with {@code broker.persistence} as set
 * (sync by default: each PUBACK after the message is on disk), then Mosquitto with {@code persistence true} and
 * {@code autosave_interval 1}, in one run, with the ratios in the report.
 */
public final class OfflineBenchmark {

    private final OfflineSettings settings;
    private final Path appJar;
    private final Path mosquitto;
    private final boolean quick;

    public OfflineBenchmark(OfflineSettings settings, Path appJar, Path mosquitto, boolean quick) {
        this.settings = settings;
        this.appJar = appJar;
        this.mosquitto = mosquitto;
        this.quick = quick;
    }

    public void run(RunFolders folders, Path pidDir, List<String> brokers) throws Exception {
        List<OfflineRunResult> results = new ArrayList<>();
        for (BrokerLauncher launcher : launchers(folders)) {
            if (!brokers.contains(launcher.id())) {
                continue;
            }
            Progress.say("offline sessions: %s", launcher.displayName());
            Path workDir = folders.workRoot().resolve(launcher.id());
            results.add(new OfflineRun(settings).run(launcher, workDir, pidDir.resolve(launcher.id() + ".pid")));
        }
        String report = OfflineReport.markdown(folders.started(), quick, mosquitto, settings.publishers(),
                settings.sessions(), settings.load(), settings.maxQueued(), results.stream()
                        .map(r -> new OfflineReport.Row(r.broker(), r.settings(), r.accepted(), r.acceptedPerSecond(),
                                r.brokerCpuPercent(), r.cpuMicrosPerMessage(), r.driverCpuPercent(),
                                r.machineCpuPercent(), r.residentBytes(), r.diskBytes(), r.delivered(), r.lost(),
                                r.duplicates(), r.drainPerSecond(), r.notes()))
                        .toList());
        System.out.println(report);
        folders.writeReport(quick, report);
    }

    private List<BrokerLauncher> launchers(RunFolders folders) {
        Path tributaryData = folders.workRoot().resolve("tributary").resolve("data").toAbsolutePath();
        String persistence = settings.tributaryPersistence();
        BrokerLauncher tributary = new TributaryApp(appJar, "tributary", "Tributary",
                "tributary run from its jar; broker.persistence " + persistence + ", max-queued-messages "
                        + settings.maxQueued() + ", max-queued-bytes 2147483647, other settings default",
                port -> """
                        data-directory: "%s"
                        broker:
                          persistence: %s
                          max-queued-messages: %d
                          max-queued-bytes: 2147483647
                          listeners: [ { type: tcp, host: 127.0.0.1, port: %d } ]
                        """.formatted(tributaryData, persistence, settings.maxQueued(), port));
        BrokerLauncher mosquittoLauncher = new PersistentMosquittoLauncher(mosquitto, settings.maxQueued(),
                settings.load().inFlight());
        return List.of(tributary, mosquittoLauncher);
    }
}
