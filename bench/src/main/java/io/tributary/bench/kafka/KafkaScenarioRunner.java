package io.tributary.bench.kafka;

import io.tributary.bench.load.LatencyHistogram;
import io.tributary.bench.load.LoadClient;
import io.tributary.bench.load.LoadSettings;
import io.tributary.bench.load.RunClock;
import io.tributary.bench.server.ProcStats;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one {@link KafkaScenario} against one started {@link RunningBridge}: starts reading its (fresh) Kafka topic,
 * waits until a probe message has gone all the way through, connects the publishers, publishes through the warm-up
 * and the measured window, drains, and counts what reached Kafka against what was acknowledged.
 */
public final class KafkaScenarioRunner {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final long QUIET_NANOS = 5_000_000_000L;
    private static final long SAMPLE_MILLIS = 200;
    private static final String HOST = "127.0.0.1";

    private final KafkaLoadSettings settings;
    private final LoadSettings clientSettings;

    public KafkaScenarioRunner(KafkaLoadSettings settings) {
        this.settings = settings;
        // Only the client's MQTT version and I/O threads are read from these.
        this.clientSettings = new LoadSettings(3, settings.warmUp(), settings.measure(), settings.drainTimeout(),
                settings.payloadBytes(), settings.inFlight(), 0, settings.clientIoThreads());
    }

    public KafkaRunResult run(String system, RunningBridge bridge, KafkaProcess kafka, String topic,
                              KafkaScenario scenario) throws InterruptedException {
        String nonce = Long.toString(System.nanoTime() & 0xFFFFFF, 36);
        int seconds = (int) (settings.warmUp().plus(settings.measure()).plus(settings.drainTimeout()).toSeconds()) + 5;
        TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic, settings.publishers(), seconds);
        List<LoadClient> clients = new ArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "rss-sampler");
            thread.setDaemon(true);
            return thread;
        });
        try {
            reader.start(READY_TIMEOUT);
            LoadClient probe = LoadClient.create(clientSettings, "bench-" + nonce + "-probe", HOST, bridge.mqttPort());
            clients.add(probe);
            probe.connect(CONNECT_TIMEOUT);
            String notReady = awaitEndToEnd(probe, reader, bridge);
            if (notReady != null) {
                return KafkaRunResult.failed(system, scenario, notReady, bridge.isAlive(), deathNote(bridge));
            }
            List<LoadClient> publisherClients = new ArrayList<>();
            for (int i = 0; i < settings.publishers(); i++) {
                LoadClient client = LoadClient.create(clientSettings, "bench-" + nonce + "-pub-" + i, HOST,
                        bridge.mqttPort());
                clients.add(client);
                publisherClients.add(client);
                client.connect(CONNECT_TIMEOUT);
            }
            return measure(system, bridge, kafka, reader, scenario, publisherClients, sampler);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return KafkaRunResult.failed(system, scenario, "could not start the run: " + e, bridge.isAlive(),
                    deathNote(bridge));
        } finally {
            sampler.shutdownNow();
            clients.forEach(LoadClient::close);
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

    private KafkaRunResult measure(String system, RunningBridge bridge, KafkaProcess kafka, TopicReader reader,
                                   KafkaScenario scenario, List<LoadClient> publisherClients,
                                   ScheduledExecutorService sampler) throws InterruptedException {
        Map<String, Long> processes = bridge.processes();
        AtomicLong rssPeak = new AtomicLong(-1);
        sampler.scheduleAtFixedRate(() -> rssPeak.accumulateAndGet(rss(processes), Math::max), 0, SAMPLE_MILLIS,
                TimeUnit.MILLISECONDS);

        long start = System.nanoTime() + 100_000_000L; // a moment to start the threads
        RunClock clock = new RunClock(start, settings.warmUp().toNanos(), settings.measure().toNanos());
        reader.useClock(clock);
        List<TelemetryPublisher> publishers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < settings.publishers(); i++) {
            TelemetryPublisher publisher = new TelemetryPublisher(i, publisherClients.get(i),
                    scenario.ratePerPublisher(settings), settings, clock);
            publishers.add(publisher);
            Thread thread = new Thread(publisher, "publisher-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        sleepUntil(start);
        threads.forEach(Thread::start);

        sleepUntil(clock.windowStart());
        Map<String, OptionalLong> cpuStart = cpu(processes);
        OptionalLong kafkaCpuStart = ProcStats.cpuNanos(kafka.pid());
        OptionalLong driverCpuStart = ProcStats.cpuNanos(ProcessHandle.current().pid());
        sleepUntil(clock.windowEnd());
        Map<String, OptionalLong> cpuEnd = cpu(processes);
        OptionalLong kafkaCpuEnd = ProcStats.cpuNanos(kafka.pid());
        OptionalLong driverCpuEnd = ProcStats.cpuNanos(ProcessHandle.current().pid());

        publishers.forEach(TelemetryPublisher::stop);
        for (Thread thread : threads) {
            thread.join(2000);
        }
        long drainStart = System.nanoTime();
        long deadline = drainStart + settings.drainTimeout().toNanos();
        long unanswered = 0;
        for (TelemetryPublisher publisher : publishers) {
            unanswered += publisher.awaitOutstanding(deadline);
        }
        long acceptedTotal = publishers.stream().mapToLong(TelemetryPublisher::acceptedCount).sum();
        KafkaRunResult.DrainEnd drainEnd = KafkaRunResult.DrainEnd.TIMED_OUT;
        while (System.nanoTime() < deadline) {
            if (!bridge.isAlive()) {
                drainEnd = KafkaRunResult.DrainEnd.SYSTEM_DIED;
                break;
            }
            if (reader.unique() >= acceptedTotal) {
                drainEnd = KafkaRunResult.DrainEnd.ALL_IN_KAFKA;
                break;
            }
            if (System.nanoTime() - Math.max(reader.lastRecordNanos(), drainStart) > QUIET_NANOS) {
                drainEnd = KafkaRunResult.DrainEnd.QUIET;
                break;
            }
            Thread.sleep(20);
        }
        Duration drainTime = Duration.ofNanos(System.nanoTime() - drainStart);
        sampler.shutdownNow();
        long rssEnd = rss(processes);
        boolean survived = bridge.isAlive();
        String death = bridge.death();
        reader.stop();

        List<String> notes = new ArrayList<>();
        double windowNanos = settings.measure().toNanos();
        List<String> processCpu = new ArrayList<>();
        double systemCpu = 0;
        for (String name : processes.keySet()) {
            double percent = cpuPercent(cpuStart.get(name), cpuEnd.get(name));
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
        return tally(system, scenario, publishers, reader, clock, unanswered, drainTime, drainEnd, rssEnd,
                Math.max(rssPeak.get(), rssEnd), systemCpu, processCpu, cpuPercent(kafkaCpuStart, kafkaCpuEnd),
                cpuPercent(driverCpuStart, driverCpuEnd), survived, publisherClients, windowNanos, notes);
    }

    private KafkaRunResult tally(String system, KafkaScenario scenario, List<TelemetryPublisher> publishers,
                                 TopicReader reader, RunClock clock, long unanswered, Duration drainTime,
                                 KafkaRunResult.DrainEnd drainEnd, long rssEnd, long rssPeak, double systemCpu,
                                 List<String> processCpu, double kafkaCpu, double driverCpu, boolean survived,
                                 List<LoadClient> publisherClients, double windowNanos, List<String> notes) {
        long published = 0;
        long accepted = 0;
        long rejected = 0;
        long acceptedInWindow = 0;
        long acceptedInKafka = 0;
        long unacknowledgedInKafka = 0;
        long[] missingBySendTime = new long[3];
        for (TelemetryPublisher publisher : publishers) {
            published += publisher.published();
            accepted += publisher.acceptedCount();
            rejected += publisher.rejected();
            acceptedInWindow += publisher.acceptedInWindow();
            if (publisher.firstRejection() != null) {
                notes.add("publisher " + publisher.index() + ": first failed publish: " + publisher.firstRejection());
            }
            BitSet acknowledged = publisher.accepted();
            BitSet inKafka = reader.seen(publisher.index());
            BitSet promisedAndThere = (BitSet) inKafka.clone();
            promisedAndThere.and(acknowledged);
            acceptedInKafka += promisedAndThere.cardinality();
            unacknowledgedInKafka += inKafka.cardinality() - promisedAndThere.cardinality();
            BitSet missing = (BitSet) acknowledged.clone();
            missing.andNot(inKafka);
            int windowFrom = publisher.firstInWindow();
            int windowTo = Math.max(windowFrom, publisher.firstAfterWindow());
            missingBySendTime[0] += missing.get(0, windowFrom).cardinality();
            missingBySendTime[1] += missing.get(windowFrom, windowTo).cardinality();
            missingBySendTime[2] += missing.get(windowTo, Math.max(windowTo, missing.length())).cardinality();
        }
        long[] perSecond = reader.perSecond();
        int firstSecond = (int) Math.ceil((clock.windowStart() - clock.start()) / 1e9);
        int lastSecond = (int) Math.floor((clock.windowEnd() - clock.start()) / 1e9); // exclusive
        long slowest = Long.MAX_VALUE;
        int silent = 0;
        for (int s = firstSecond; s < lastSecond && s < perSecond.length; s++) {
            slowest = Math.min(slowest, perSecond[s]);
            if (perSecond[s] == 0) {
                silent++;
            }
        }
        if (slowest == Long.MAX_VALUE) {
            slowest = 0;
        }
        if (reader.malformed() > 0) {
            notes.add(reader.malformed() + " records in the topic had a value this driver did not write");
        }
        int disconnected = 0;
        for (LoadClient client : publisherClients) {
            if (client.unexpectedDisconnect() != null) {
                disconnected++;
                notes.add("a publisher was disconnected: " + client.unexpectedDisconnect());
            }
        }
        if (unanswered > 0) {
            notes.add(unanswered + " publishes were still without PUBACK after the drain timeout of "
                    + settings.drainTimeout().toSeconds() + " s");
        }
        if (silent > 0) {
            notes.add(String.format(Locale.ROOT, "stalled: no record became visible in %d of %d whole seconds of "
                    + "the window", silent, lastSecond - firstSecond));
        }
        notes.add("CPU over the window: " + String.join(", ", processCpu));
        LatencyHistogram latency = reader.latency();
        double windowSeconds = windowNanos / 1e9;
        long missingTotal = accepted - acceptedInKafka;
        return new KafkaRunResult(system, scenario, null, published, accepted, rejected, unanswered,
                acceptedInWindow / windowSeconds, reader.visibleInWindow() / windowSeconds, acceptedInKafka,
                missingTotal, missingBySendTime[0], missingBySendTime[1], missingBySendTime[2],
                reader.duplicates(), unacknowledgedInKafka, reader.malformed(),
                latency.count(), latency.percentileNanos(50), latency.percentileNanos(99), latency.maxNanos(),
                slowest, silent, systemCpu, processCpu, kafkaCpu, driverCpu, rssEnd, rssPeak, survived, disconnected,
                drainTime, drainEnd, notes);
    }

    private static List<String> deathNote(RunningBridge bridge) {
        String death = bridge.death();
        return death == null ? List.of() : List.of(death);
    }

    private static long rss(Map<String, Long> processes) {
        long sum = 0;
        for (long pid : processes.values()) {
            OptionalLong rss = ProcStats.residentBytes(pid);
            if (rss.isEmpty()) {
                return -1;
            }
            sum += rss.getAsLong();
        }
        return sum;
    }

    private static Map<String, OptionalLong> cpu(Map<String, Long> processes) {
        Map<String, OptionalLong> cpu = new LinkedHashMap<>();
        processes.forEach((name, pid) -> cpu.put(name, ProcStats.cpuNanos(pid)));
        return cpu;
    }

    private double cpuPercent(OptionalLong start, OptionalLong end) {
        if (start == null || end == null || start.isEmpty() || end.isEmpty()) {
            return -1;
        }
        return 100.0 * (end.getAsLong() - start.getAsLong()) / settings.measure().toNanos();
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
