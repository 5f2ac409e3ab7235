package io.tributary.bench.load;

import io.tributary.bench.connections.IdleMemoryResult;
import io.tributary.bench.connections.IdleMemoryRun;
import io.tributary.bench.report.ComparisonReport;
import io.tributary.bench.report.Progress;
import io.tributary.bench.report.ReportDocument;
import io.tributary.bench.report.ReportHeading;
import io.tributary.bench.report.RunFolders;
import io.tributary.bench.server.BrokerLauncher;
import io.tributary.bench.server.RunningBroker;
import io.tributary.bench.server.StopOnExit;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The broker comparison ({@code BenchMain compare}): starts each broker one after the other, each in its own process
 * on a free loopback port and afresh for every scenario, runs every scenario and the idle-client memory test against
 * each, and writes a markdown report with the ratios reference / other.
 */
public final class BrokerComparison {

    /** The broker in the numerator of every ratio. */
    public static final String REFERENCE = "Tributary";

    private final LoadSettings settings;
    private final List<Scenario> scenarios;
    private final List<BrokerLauncher> launchers;
    private final Path mosquitto;
    private final int idleClients;
    private final boolean memory;
    private final boolean quick;

    /**
     * @param mosquitto the Mosquitto binary, for the report's machine facts
     * @param idleClients connections of the memory test, which runs only when {@code memory} is set
     */
    public BrokerComparison(LoadSettings settings, List<Scenario> scenarios, List<BrokerLauncher> launchers,
                            Path mosquitto, int idleClients, boolean memory, boolean quick) {
        this.settings = settings;
        this.scenarios = List.copyOf(scenarios);
        this.launchers = List.copyOf(launchers);
        this.mosquitto = mosquitto;
        this.idleClients = idleClients;
        this.memory = memory;
        this.quick = quick;
    }

    /**
     * Runs everything and writes the report; returns its file.
     *
     * @param pidFile where the PID of the broker under test is kept while it runs, or null for the work folder
     */
    public Path run(RunFolders folders, Path pidFile) throws IOException, InterruptedException {
        Path workRoot = folders.workRoot();
        Files.createDirectories(workRoot);
        Path brokerPid = pidFile != null ? pidFile : workRoot.resolve("broker.pid");
        StopOnExit stopOnExit = new StopOnExit("stop-broker-under-test");

        ComparisonReport report = new ComparisonReport(
                launchers.stream().map(BrokerLauncher::displayName).toList(), REFERENCE);
        ReportDocument document = new ReportDocument(header(folders));
        ScenarioRunner runner = new ScenarioRunner(settings, ClientLogWatch.install());
        for (Scenario scenario : scenarios) {
            Map<String, ScenarioResult> byBroker = new LinkedHashMap<>();
            for (BrokerLauncher launcher : launchers) {
                Progress.say("%s: %s starting", scenario.name(), launcher.displayName());
                ScenarioResult result;
                try (RunningBroker broker = RunningBroker.start(launcher,
                        workRoot.resolve(scenario.name() + "-" + launcher.id()), brokerPid, Duration.ofSeconds(30))) {
                    stopOnExit.watch(broker);
                    result = runner.run(target(broker), scenario);
                    if (!broker.isAlive()) {
                        result = result.withBrokerDeath(broker.exitNote("the broker process"));
                    }
                } catch (IOException e) {
                    result = ScenarioResult.failed(launcher.displayName(), scenario, settings,
                            "broker did not start: " + e.getMessage(), false, List.of());
                } finally {
                    stopOnExit.forgetAll();
                }
                byBroker.put(launcher.displayName(), result);
                Progress.say("%s: %s", scenario.name(), summary(result));
            }
            document.add(report.scenario(scenario, byBroker));
        }
        if (memory) {
            Map<String, IdleMemoryResult> byBroker = new LinkedHashMap<>();
            IdleMemoryRun memoryRun = new IdleMemoryRun(Duration.ofSeconds(2), Duration.ofSeconds(3));
            for (BrokerLauncher launcher : launchers) {
                Progress.say("memory: %s starting, then %,d idle clients", launcher.displayName(), idleClients);
                IdleMemoryResult result;
                try (RunningBroker broker = RunningBroker.start(launcher, workRoot.resolve("memory-" + launcher.id()),
                        brokerPid, Duration.ofSeconds(30))) {
                    stopOnExit.watch(broker);
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
                    stopOnExit.forgetAll();
                }
                byBroker.put(result.broker(), result);
                Progress.say("memory: %s: idle %s MB, with clients %s MB (%s)", result.broker(),
                        mb(result.rssIdleBytes()), mb(result.rssWithClientsBytes()),
                        result.outcome() == null ? "no clients" : result.outcome());
            }
            document.add(report.memory(byBroker));
        }
        return folders.writeReport(quick, document.render(List.of()));
    }

    private List<String> header(RunFolders folders) {
        List<String> lines = ReportHeading.lines("End-to-end benchmark: " + String.join(" vs ",
                launchers.stream().map(BrokerLauncher::displayName).toList()), folders.started(), quick,
                "BenchMain compare", mosquitto);
        lines.add("");
        lines.add("## Method");
        lines.add("");
        lines.add(String.format(Locale.ROOT, "- Load: %s, %d-byte payloads, at most %d publishes in flight per "
                        + "publisher (QoS 1: until PUBACK; QoS 0: until written to the socket)%s; %d s warm-up, then "
                        + "%d s measured; drain up to %d s after publishing stops; the driver's clients share %s.",
                settings.mqttVersionName(),
                settings.payloadBytes(), settings.inFlight(), settings.qos0RatePerPublisher() > 0
                        ? ", unpaced QoS 0 scenarios held to " + settings.qos0RatePerPublisher()
                                + " msg/s per publisher"
                        : "",
                settings.warmUp().toSeconds(), settings.measure().toSeconds(), settings.drainTimeout().toSeconds(),
                ReportHeading.ioThreads(settings.clientIoThreads())));
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

    /** One line on the console for a finished run. */
    public static String summary(ScenarioResult r) {
        if (!r.ran()) {
            return r.broker() + " FAILED: " + r.failure();
        }
        return String.format(Locale.ROOT, "%s: %,.0f msg/s delivered, %,.0f accepted/s, %s %,d, p50 %.2f ms, "
                        + "p99 %.2f ms, RSS %s MB, broker CPU %.0f%%%s", r.broker(), r.deliveredPerSecond(),
                r.acceptedPerSecond(), r.scenario().qos() > 0 ? "LOST" : "dropped by broker", r.brokerLost(),
                r.p50Nanos() / 1e6, r.p99Nanos() / 1e6, mb(r.rssEndBytes()), r.brokerCpuPercent(),
                r.brokerSurvived() ? "" : ", BROKER DIED");
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }
}
