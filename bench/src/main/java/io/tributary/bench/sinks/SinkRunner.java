package io.tributary.bench.sinks;

import io.tributary.bench.kafka.TelemetryClients;
import io.tributary.bench.kafka.TelemetryPayload;
import io.tributary.bench.load.AckStats;
import io.tributary.bench.load.Arrivals;
import io.tributary.bench.load.LoadClient;
import io.tributary.bench.load.LoadTimeline;
import io.tributary.bench.load.Publishers;
import io.tributary.bench.load.Receipts;
import io.tributary.bench.load.RssSampler;
import io.tributary.bench.load.RunClock;
import io.tributary.bench.load.WindowMeter;
import io.tributary.bench.load.WindowSeconds;
import io.tributary.bench.server.JvmBrokerLauncher;
import io.tributary.bench.server.ProcStats;
import io.tributary.bench.server.RunningBroker;
import io.tributary.bench.server.StopOnExit;
import io.tributary.bench.server.TributaryApp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs Tributary once against one {@link SinkTarget}: starts it ({@code tributary run}) with the target's route,
 * waits until a probe message has gone all the way into the target, connects the publishers, publishes through the
 * warm-up and the measured window, waits for the last PUBACKs, and counts what the target holds against what was
 * acknowledged.
 *
 * <p>The route sends a QoS 1 PUBACK only once its sink has the message (the row's transaction committed, the
 * webhook answered 2xx), so publish → PUBACK is the end-to-end latency, and nothing acknowledged may be missing
 * from the target by the time its PUBACK arrived: there is nothing to drain but the last PUBACKs.
 */
final class SinkRunner {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int LOG_LINES_NOTED = 3;
    /** A PUBACK this late is counted apart. */
    static final long SLOW_NANOS = 1_000_000_000L;
    /** Other work on the machine worth a note, in % of one core over the window. */
    private static final double OTHER_CPU_NOTED = 15;
    /** The route names this publisher {@value PostgresTable#PROBE}. */
    private static final String TRIBUTARY = "Tributary";
    private static final String TARGET = "target";
    private static final String MACHINE = "machine";
    private static final String ARRIVED = "arrived";
    private static final String PROBE_TOPIC = "bench/" + PostgresTable.PROBE + "/telemetry";

    private final SinkSettings settings;
    private final Path appJar;
    private final Path pidDir;
    private final StopOnExit stopOnExit;

    SinkRunner(SinkSettings settings, Path appJar, Path pidDir, StopOnExit stopOnExit) {
        this.stopOnExit = stopOnExit;
        this.settings = settings;
        this.appJar = appJar;
        this.pidDir = pidDir;
    }

    /** Tributary's settings, for the report. */
    String tributarySettings() {
        return "`tributary run --config` (" + appJar.getFileName() + "), one TCP listener on 127.0.0.1, the broker's "
                + "defaults, and the run's one route (below); JVM flags: "
                + String.join(" ", JvmBrokerLauncher.SHARED_FLAGS);
    }

    /** The configuration Tributary runs with against {@code target}. */
    static String config(int port, SinkTarget target) {
        return "# Written by the Tributary benchmark (BenchMain sinks) for one run.\n"
                + TributaryApp.brokerSection(port) + target.routeConfig();
    }

    SinkRunResult run(SinkTarget target, Path workDir) throws InterruptedException {
        TelemetryClients clients = null;
        RssSampler rss = new RssSampler();
        RunningBroker tributary = null;
        try {
            target.prepare();
            tributary = RunningBroker.start(new TributaryApp(appJar, "tributary", "Tributary", tributarySettings(),
                    port -> config(port, target)), workDir, pidDir.resolve("tributary.pid"), READY_TIMEOUT);
            stopOnExit.watch(tributary);
            clients = new TelemetryClients(settings.load(), tributary.port());
            LoadClient probe = clients.connectProbe();
            String notReady = awaitEndToEnd(probe, target, tributary);
            if (notReady != null) {
                return SinkRunResult.failed(target.scenario(), target.column(), notReady, tributary.isAlive(),
                        logNotes(tributary));
            }
            clients.connectPublishers();
            return measure(target, tributary, clients, rss);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return SinkRunResult.failed(target.scenario(), target.column(), "could not run: " + e,
                    tributary != null && tributary.isAlive(), tributary == null ? List.of() : logNotes(tributary));
        } finally {
            rss.close();
            if (clients != null) {
                clients.close();
            }
            if (tributary != null) {
                stopOnExit.forget(tributary);
                tributary.close();
            }
            target.finish();
        }
    }

    /**
     * Publishes probe messages (publisher -1, to {@code bench/probe/telemetry}) until one is acknowledged and the
     * target holds something: the route then runs end to end (a PUBACK alone may come from a broker whose route has
     * not subscribed yet). Returns null when it does, else why not.
     */
    private static String awaitEndToEnd(LoadClient probe, SinkTarget target, RunningBroker tributary)
            throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        int sequence = 0;
        String last = "nothing arrived";
        while (System.nanoTime() < deadline) {
            if (!tributary.isAlive()) {
                return "Tributary died before a probe message reached the " + target.scenario().id() + " target";
            }
            try {
                probe.publish(PROBE_TOPIC, 1, ByteBuffer.wrap(
                        TelemetryPayload.encode(TelemetryPayload.MIN_BYTES, -1, sequence++, System.nanoTime())))
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (count(target) > 0) {
                    return null;
                }
            } catch (TimeoutException e) {
                last = "the probe's PUBACK did not come";
            } catch (java.util.concurrent.ExecutionException e) {
                return "the probe message failed: " + e.getCause();
            }
            Thread.sleep(500);
        }
        return "no probe message reached the target within " + READY_TIMEOUT.toSeconds() + " s (" + last + ")";
    }

    /** The target's count, or 0 while it cannot count yet (the route has not created its table). */
    private static long count(SinkTarget target) {
        try {
            return target.count();
        } catch (Exception e) {
            return 0;
        }
    }

    private SinkRunResult measure(SinkTarget target, RunningBroker tributary, TelemetryClients clients,
                                  RssSampler rss) throws Exception {
        rss.start(tributary::residentBytes);
        RunClock clock = LoadTimeline.clock(settings.load().warmUp(), settings.load().measure());
        AckStats acks = new AckStats(clock, LoadTimeline.seconds(settings.load().warmUp(), settings.load().measure(),
                settings.load().drainTimeout()));
        target.useClock(clock);
        Publishers publishers = clients.publishers(0, clock, acks);
        WindowMeter meter = new WindowMeter().add(TRIBUTARY, tributary::cpuNanos)
                .add(TARGET, target::cpuNanos).addDriver().add(MACHINE, ProcStats::machineBusyNanos)
                .add(ARRIVED, () -> OptionalLong.of(target.count()));
        LoadTimeline.Ended ended = LoadTimeline.run(clock, publishers, meter, settings.load().drainTimeout());
        long unanswered = ended.unanswered();
        Duration drainTime = ended.drainTime();
        rss.close();
        long rssEnd = tributary.residentBytes().orElse(-1);
        boolean survived = tributary.isAlive();

        Receipts received = target.received(settings.load().publishers());
        Map<String, String> facts = target.facts();
        long windowNanos = settings.load().measure().toNanos();
        double arrivedPerSecond = meter.perSecond(ARRIVED);
        double windowSeconds = windowNanos / 1e9;
        Arrivals arrivals = publishers.arrivals(received::seen);
        WindowSeconds window = acks.window();

        List<String> notes = new ArrayList<>();
        notes.addAll(publishers.firstFailures("failed"));
        List<String> disconnections = clients.disconnections();
        notes.addAll(disconnections);
        if (!survived) {
            notes.add(tributary.exitNote("Tributary"));
        }
        if (unanswered > 0) {
            notes.add(unanswered + " publishes were still without PUBACK after the drain timeout of "
                    + settings.load().drainTimeout().toSeconds() + " s");
        }
        if (received.malformed() > 0) {
            notes.add(received.malformed() + " arrivals at the target were not messages of this driver");
        }
        if (window.silent() > 0) {
            notes.add(String.format(Locale.ROOT, "stalled: no PUBACK in %d of %d whole seconds of the window",
                    window.silent(), window.whole()));
        }
        long[] acceptedRange = publishers.acceptedRange();
        if (acceptedRange[0] * 2 < acceptedRange[1]) {
            notes.add(String.format(Locale.ROOT, "unfair: a publisher had only %,d publishes acknowledged, another "
                    + "%,d; the longest wait for a PUBACK was %,.1f s (a publisher held back while the others went "
                    + "on)", acceptedRange[0], acceptedRange[1], acks.longestNanos() / 1e9));
        }
        notes.addAll(logNotes(tributary));
        SinkRunResult result = new SinkRunResult(target.scenario(), target.column(), null, publishers.published(),
                publishers.accepted(), publishers.rejected(), unanswered,
                publishers.acceptedInWindow() / windowSeconds, arrivedPerSecond, arrivals, received.duplicates(),
                received.malformed(), acks.latency(), target.arrivalLatency(), window,
                acks.slowerThan(SLOW_NANOS), acks.longestNanos(), acceptedRange[0], acceptedRange[1],
                meter.cpuPercent(TRIBUTARY, windowNanos),
                meter.cpuPercent(TARGET, windowNanos),
                meter.cpuPercent("driver", windowNanos), meter.cpuPercent(MACHINE, windowNanos), rssEnd,
                Math.max(rss.peak(), rssEnd), survived, disconnections.size(), drainTime, facts, notes);
        if (result.otherCpuPercent() > OTHER_CPU_NOTED) {
            notes.add(String.format(Locale.ROOT, "other processes on the machine used %.0f%% of a core during the "
                    + "window: the run shared the cores with work that is not part of it", result.otherCpuPercent()));
            return result.withNotes(notes);
        }
        return result;
    }

    /** Tributary's warnings and errors, if it logged any: how many, and the first few. */
    private static List<String> logNotes(RunningBroker tributary) {
        List<String> problems;
        try {
            problems = Files.readAllLines(tributary.log(), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        if (problems.isEmpty()) {
            return List.of();
        }
        StringBuilder note = new StringBuilder("Tributary logged " + problems.size() + " warning(s) or error(s) in "
                + tributary.log() + "; the first:");
        problems.stream().limit(LOG_LINES_NOTED).forEach(line -> note.append("\n`").append(line.strip()).append('`'));
        return List.of(note.toString());
    }
}
