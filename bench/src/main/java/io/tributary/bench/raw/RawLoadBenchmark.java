package io.tributary.bench.raw;

import io.tributary.bench.report.Progress;
import io.tributary.bench.report.RunFolders;
import io.tributary.bench.server.BrokerLauncher;
import io.tributary.bench.server.RunningBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw-socket comparison: for each scenario, each broker in turn on a fresh process on a free loopback port (so
 * that one scenario's leftovers, a full queue or a grown heap, do not weigh on the next, and each broker's idle
 * memory is read before every scenario), then the markdown report.
 */
public final class RawLoadBenchmark {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final long SETTLE_MILLIS = 2_000;

    private final RawSettings settings;
    private final List<RawScenario> scenarios;
    private final List<BrokerLauncher> brokers;

    public RawLoadBenchmark(RawSettings settings, List<RawScenario> scenarios, List<BrokerLauncher> brokers) {
        this.settings = settings;
        this.scenarios = List.copyOf(scenarios);
        this.brokers = List.copyOf(brokers);
    }

    /** Runs everything and writes the report; returns the results in run order. */
    public List<RawResult> run(RunFolders folders, Path pidDir, RawLoadReport report)
            throws IOException, InterruptedException {
        List<RawResult> results = new ArrayList<>();
        for (RawScenario scenario : scenarios) {
            for (BrokerLauncher launcher : brokers) {
                results.add(runOne(scenario, launcher, folders.workRoot().resolve(scenario.id() + "-" + launcher.id()),
                        pidDir));
            }
        }
        folders.writeReport(report.quick(), report.markdown(results));
        return results;
    }

    private RawResult runOne(RawScenario scenario, BrokerLauncher launcher, Path workDir, Path pidDir)
            throws IOException, InterruptedException {
        Measurement measurement = new Measurement();
        measurement.loadAverage = loadAverage();
        Progress.say("%s against %s (load average %.2f)", scenario.id(), launcher.displayName(),
                measurement.loadAverage);
        try (RunningBroker broker = RunningBroker.start(launcher, workDir, pidDir.resolve(launcher.id() + ".pid"),
                READY_TIMEOUT)) {
            Thread.sleep(SETTLE_MILLIS);
            measurement.rssIdleBytes = broker.residentBytes().orElse(-1);
            try {
                new ScenarioDriver(RunningBroker.HOST, broker.port(), broker.pid(), settings).run(scenario,
                        measurement);
            } catch (IOException | RuntimeException e) {
                measurement.problem(e.toString());
            }
            measurement.rssAfterBytes = broker.residentBytes().orElse(-1);
            if (!broker.isAlive()) {
                measurement.problem("the broker exited: " + broker.logTail(5));
            }
        }
        RawResult result = measurement.result(scenario, launcher.displayName());
        Progress.say("  %s", RawLoadReport.oneLine(result));
        return result;
    }

    /** The machine's 1-minute load average, or -1. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
