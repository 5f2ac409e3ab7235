package io.tributary.bench.kafka;

import io.tributary.bench.load.AckStats;
import io.tributary.bench.load.Arrivals;
import io.tributary.bench.load.DrainEnd;
import io.tributary.bench.load.LatencySummary;
import io.tributary.bench.load.LoadClient;
import io.tributary.bench.load.LoadTimeline;
import io.tributary.bench.load.Publishers;
import io.tributary.bench.load.RssSampler;
import io.tributary.bench.load.RunClock;
import io.tributary.bench.load.WindowMeter;
import io.tributary.bench.load.WindowSeconds;
import io.tributary.bench.report.ReportHeading;
import io.tributary.bench.server.ProcStats;
import io.tributary.testsupport.kafka.KafkaServer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Runs one {@link KafkaScenario} against one started {@link RunningBridge}: starts reading its (fresh) Kafka topic,
 * waits until a probe message has gone all the way through, connects the publishers, publishes through the warm-up
 * and the measured window, drains, and counts what reached Kafka against what was acknowledged.
 */
public final class KafkaScenarioRunner implements KafkaLoad {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final long QUIET_NANOS = 5_000_000_000L;
    /** The meter's name for Kafka's CPU: no system's process is called so. */
    private static final String KAFKA = "Kafka (the broker under the systems)";

    private final KafkaLoadSettings settings;

    public KafkaScenarioRunner(KafkaLoadSettings settings) {
        this.settings = settings;
    }

    @Override
    public String describe(KafkaLoadSettings load) {
        return String.format(Locale.ROOT, "%d publishers (MQTT 3.1.1, HiveMQ MQTT client), each publishing "
                        + "QoS 1 to `bench/<i>/telemetry` with at most %d publishes without PUBACK; %d-byte JSON "
                        + "payloads carrying the publisher, a sequence number and the send time; %d s warm-up, then "
                        + "%d s measured; drain up to %d s after publishing stops; the driver's MQTT clients share %s.",
                load.publishers(), load.inFlight(), load.payloadBytes(), load.warmUp().toSeconds(),
                load.measure().toSeconds(), load.drainTimeout().toSeconds(),
                ReportHeading.ioThreads(load.clientIoThreads()));
    }

    @Override
    public KafkaRunResult run(String system, RunningBridge bridge, KafkaServer kafka, String topic,
                              KafkaScenario scenario) throws InterruptedException {
        if (settings.payloadBytes() < TelemetryPayload.MIN_BYTES) {
            return KafkaRunResult.failed(system, scenario, "the HiveMQ driver's payload must be at least "
                    + TelemetryPayload.MIN_BYTES + " bytes", bridge.isAlive(), List.of());
        }
        TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic, settings.publishers(),
                LoadTimeline.seconds(settings.warmUp(), settings.measure(), settings.drainTimeout()));
        TelemetryClients clients = new TelemetryClients(settings, bridge.mqttPort());
        RssSampler rss = new RssSampler();
        try {
            reader.start(READY_TIMEOUT);
            LoadClient probe = clients.connectProbe();
            String notReady = awaitEndToEnd(probe, reader, bridge);
            if (notReady != null) {
                return KafkaRunResult.failed(system, scenario, notReady, bridge.isAlive(), deathNote(bridge));
            }
            clients.connectPublishers();
            return measure(system, bridge, kafka, reader, scenario, clients, rss);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return KafkaRunResult.failed(system, scenario, "could not start the run: " + e, bridge.isAlive(),
                    deathNote(bridge));
        } finally {
            rss.close();
            clients.close();
            reader.stop();
        }
    }

    /**
     * Publishes probe messages (publisher -1) until one is read from Kafka: the route is then running end to end.
     * Returns null when it is, else why not.
     */
    private static String awaitEndToEnd(LoadClient probe, TopicReader reader, RunningBridge bridge)
            throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        int sequence = 0;
        while (System.nanoTime() < deadline) {
            if (!bridge.isAlive()) {
                return "the system died before a probe message reached Kafka";
            }
            probe.publish("bench/probe/telemetry", 1, ByteBuffer.wrap(TelemetryPayload.encode(TelemetryPayload.MIN_BYTES,
                    -1, sequence++, System.nanoTime())));
            long wait = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < wait) {
                if (reader.probeSeen()) {
                    return null;
                }
                Thread.sleep(20);
            }
        }
        return "no probe message reached Kafka within " + READY_TIMEOUT.toSeconds() + " s"
                + (reader.failure() != null ? " (the reader failed: " + reader.failure() + ")" : "");
    }

    private KafkaRunResult measure(String system, RunningBridge bridge, KafkaServer kafka, TopicReader reader,
                                   KafkaScenario scenario, TelemetryClients clients, RssSampler rss)
            throws Exception {
        Map<String, Long> processes = bridge.processes();
        rss.start(() -> rss(processes));

        RunClock clock = LoadTimeline.clock(settings.warmUp(), settings.measure());
        reader.useClock(clock);
        AckStats acks = new AckStats(clock, reader.perSecond().length);
        Publishers publishers = clients.publishers(scenario.ratePerPublisher(settings), clock, acks);
        WindowMeter meter = new WindowMeter();
        processes.forEach((name, pid) -> meter.add(name, () -> ProcStats.cpuNanos(pid)));
        meter.add(KAFKA, () -> kafka.isRunning() ? ProcStats.cpuNanos(kafka.pid()) : OptionalLong.empty()).addDriver();
        LoadTimeline.Ended ended = LoadTimeline.run(clock, publishers, meter, settings.drainTimeout());
        long unanswered = ended.unanswered();
        DrainEnd drainEnd = DrainEnd.await(ended.drainStartNanos(), ended.drainDeadlineNanos(), QUIET_NANOS,
                publishers.accepted(), bridge::isAlive, reader::unique, reader::lastRecordNanos);
        Duration drainTime = ended.drainTime();
        rss.close();
        long rssEnd = rss(processes).orElse(-1);
        boolean survived = bridge.isAlive();
        String death = bridge.death();
        reader.stop();

        List<String> notes = new ArrayList<>();
        long windowNanos = settings.measure().toNanos();
        List<String> processCpu = new ArrayList<>();
        double systemCpu = 0;
        for (String name : processes.keySet()) {
            double percent = meter.cpuPercent(name, windowNanos);
            if (percent < 0 || systemCpu < 0) {
                systemCpu = -1;
            } else {
                systemCpu += percent;
            }
            processCpu.add(String.format(Locale.ROOT, "%s %.0f%%", name, percent));
        }
        if (death != null) {
            notes.add(death);
        }
        if (reader.failure() != null) {
            notes.add("the driver's Kafka reader failed: " + reader.failure());
        }
        return tally(system, scenario, publishers, acks, reader, clock, unanswered, drainTime, drainEnd, rssEnd,
                Math.max(rss.peak(), rssEnd), systemCpu, processCpu,
                meter.cpuPercent(KAFKA, windowNanos), meter.cpuPercent("driver", windowNanos), survived, clients,
                notes);
    }

    private KafkaRunResult tally(String system, KafkaScenario scenario, Publishers publishers, AckStats acks,
                                 TopicReader reader, RunClock clock, long unanswered, Duration drainTime,
                                 DrainEnd drainEnd, long rssEnd, long rssPeak, double systemCpu,
                                 List<String> processCpu, double kafkaCpu, double driverCpu, boolean survived,
                                 TelemetryClients clients, List<String> notes) {
        notes.addAll(publishers.firstFailures("failed"));
        Arrivals arrivals = publishers.arrivals(reader::seen);
        WindowSeconds window = WindowSeconds.of(reader.perSecond(), clock);
        if (reader.malformed() > 0) {
            notes.add(reader.malformed() + " records in the topic had a value this driver did not write");
        }
        List<String> disconnections = clients.disconnections();
        notes.addAll(disconnections);
        if (unanswered > 0) {
            notes.add(unanswered + " publishes were still without PUBACK after the drain timeout of "
                    + settings.drainTimeout().toSeconds() + " s");
        }
        if (window.silent() > 0) {
            notes.add(String.format(Locale.ROOT, "stalled: no record became visible in %d of %d whole seconds of "
                    + "the window", window.silent(), window.whole()));
        }
        notes.add("CPU over the window: " + String.join(", ", processCpu));
        double windowSeconds = settings.measure().toNanos() / 1e9;
        long accepted = publishers.accepted();
        return new KafkaRunResult(system, scenario, null, publishers.published(), accepted, publishers.rejected(),
                unanswered, publishers.acceptedInWindow() / windowSeconds, reader.visibleInWindow() / windowSeconds,
                arrivals, reader.duplicates(), reader.malformed(), LatencySummary.of(reader.latency()), acks.latency(),
                window, systemCpu, processCpu, kafkaCpu, driverCpu, rssEnd, rssPeak, survived, disconnections.size(),
                drainTime, drainEnd, notes);
    }

    private static List<String> deathNote(RunningBridge bridge) {
        String death = bridge.death();
        return death == null ? List.of() : List.of(death);
    }

    /** The resident memory of all the processes together, or empty when one of them cannot be read. */
    private static OptionalLong rss(Map<String, Long> processes) {
        long sum = 0;
        for (long pid : processes.values()) {
            OptionalLong rss = ProcStats.residentBytes(pid);
            if (rss.isEmpty()) {
                return OptionalLong.empty();
            }
            sum += rss.getAsLong();
        }
        return OptionalLong.of(sum);
    }
}
