package io.tributary.bench.raw;

import io.tributary.bench.kafka.KafkaLoad;
import io.tributary.bench.kafka.KafkaLoadSettings;
import io.tributary.bench.kafka.KafkaRunResult;
import io.tributary.bench.kafka.KafkaScenario;
import io.tributary.bench.kafka.RunningBridge;
import io.tributary.bench.load.Arrivals;
import io.tributary.bench.load.DrainEnd;
import io.tributary.bench.load.LatencySummary;
import io.tributary.bench.load.WindowSeconds;
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
 * The MQTT → Kafka load from raw sockets: each publisher a {@link Publisher} on its own thread (MQTT 5, QoS 1,
 * pre-encoded PUBLISH batches, PUBACKs read in large reads), and a {@link RouteTopicReader} on the topic. Only
 * {@code kafka-qos1} (as fast as PUBACKs come back) is supported: the paced scenario stays with the HiveMQ driver.
 *
 * <p>MISSING assumes that a system acknowledges each publisher's messages in order (both systems do): the first
 * {@code acked} sequence numbers of a publisher are the acknowledged ones.
 */
public final class RawRouteLoad implements KafkaLoad {

    private static final String HOST = "127.0.0.1";
    private static final int VERSION = 5;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final long QUIET_NANOS = 5_000_000_000L;
    private static final long SELF = ProcessHandle.current().pid();

    private final KafkaLoadSettings settings;
    private final String nonce = Long.toString(System.nanoTime() & 0xFFFFFF, 36);

    public RawRouteLoad(KafkaLoadSettings settings) {
        if (settings.payloadBytes() < TextStamp.BYTES) {
            throw new IllegalArgumentException("the raw driver's payload must be at least " + TextStamp.BYTES
                    + " bytes");
        }
        this.settings = settings;
    }

    @Override
    public String describe(KafkaLoadSettings load) {
        return String.format(Locale.ROOT, "%d publishers from the raw-socket driver (MQTT 5, one thread and one "
                        + "socket each, pre-encoded PUBLISH batches written in one write per quarter window, PUBACKs "
                        + "read in large reads), each publishing QoS 1 to `bench/<i>/telemetry` with at most %d "
                        + "publishes without PUBACK; %d-byte text payloads (`p=NN,s=SEQUENCE,t=SENT-NANOS,xxx...`); "
                        + "%d s warm-up, then %d s measured; drain up to %d s after publishing stops.",
                load.publishers(), load.inFlight(), load.payloadBytes(), load.warmUp().toSeconds(),
                load.measure().toSeconds(), load.drainTimeout().toSeconds());
    }

    @Override
    public KafkaRunResult run(String system, RunningBridge bridge, KafkaServer kafka, String topic,
                              KafkaScenario scenario) throws InterruptedException {
        if (scenario.ratePerPublisher(settings) > 0) {
            return KafkaRunResult.failed(system, scenario, "the raw driver runs kafka-qos1 only", bridge.isAlive(),
                    List.of());
        }
        int windowSeconds = (int) Math.max(1, settings.measure().toSeconds());
        RouteTopicReader reader = new RouteTopicReader(kafka.bootstrapServers(), topic, settings.publishers(),
                windowSeconds);
        List<Publisher> publishers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            reader.start(READY_TIMEOUT);
            String notReady = awaitEndToEnd(bridge, reader);
            if (notReady != null) {
                return KafkaRunResult.failed(system, scenario, notReady, bridge.isAlive(), List.of());
            }
            for (int i = 0; i < settings.publishers(); i++) {
                RawConnection connection = RawConnection.open(HOST, bridge.mqttPort(), VERSION,
                        "bench-" + nonce + "-raw-" + i);
                publishers.add(Publisher.textFlood(connection, i, "bench/" + i + "/telemetry", settings.payloadBytes(),
                        settings.inFlight()));
            }
            for (int i = 0; i < publishers.size(); i++) {
                Thread thread = new Thread(publishers.get(i), "raw-route-publisher-" + i);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            Thread.sleep(settings.warmUp().toMillis());

            Map<String, Long> processes = bridge.processes();
            long from = System.nanoTime();
            reader.window(from, from + settings.measure().toNanos());
            long acked0 = acked(publishers);
            long[] windowFrom = written(publishers);
            Map<String, OptionalLong> cpu0 = cpu(processes, kafka);
            Thread.sleep(settings.measure().toMillis());
            long acked1 = acked(publishers);
            long[] windowTo = written(publishers);
            Map<String, OptionalLong> cpu1 = cpu(processes, kafka);
            long over = System.nanoTime() - from;

            publishers.forEach(Publisher::stop);
            long drainStart = System.nanoTime();
            long deadline = drainStart + settings.drainTimeout().toNanos();
            for (Thread thread : threads) {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            long accepted = acked(publishers);
            DrainEnd drainEnd = DrainEnd.await(drainStart, deadline, QUIET_NANOS, accepted, bridge::isAlive,
                    reader::unique, reader::lastRecordNanos);
            Duration drainTime = Duration.ofNanos(System.nanoTime() - drainStart);
            reader.stop();
            return tally(system, scenario, bridge, publishers, threads, reader, acked1 - acked0, over, cpu0, cpu1,
                    processes, drainTime, drainEnd, windowFrom, windowTo);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return KafkaRunResult.failed(system, scenario, "could not run: " + e, bridge.isAlive(), List.of());
        } finally {
            for (int i = 0; i < publishers.size(); i++) {
                publishers.get(i).close(i >= threads.size() || !threads.get(i).isAlive());
            }
            reader.stop();
        }
    }

    /** Publishes probe messages until one is read back from Kafka; null when one was, else why not. */
    private String awaitEndToEnd(RunningBridge bridge, RouteTopicReader reader) throws Exception {
        try (RawConnection probe = RawConnection.open(HOST, bridge.mqttPort(), VERSION, "bench-" + nonce + "-probe")) {
            String topic = "bench/probe/telemetry";
            byte[] payload = TextStamp.template(settings.payloadBytes(), TextStamp.PROBE);
            ByteBuffer packet = ByteBuffer.allocate(MqttWire.publishSize(VERSION, topic, 1, payload.length));
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            int packetId = 1;
            while (System.nanoTime() < deadline) {
                if (!bridge.isAlive()) {
                    return "the system died before a probe message reached Kafka";
                }
                packet.clear();
                MqttWire.putPublish(packet, VERSION, topic, 1, packetId++, payload);
                probe.writeFully(packet.flip()); // its PUBACKs are never read: a few bytes the socket holds
                long wait = System.nanoTime() + 500_000_000L;
                while (System.nanoTime() < wait) {
                    if (reader.probeSeen()) {
                        return null;
                    }
                    Thread.sleep(20);
                }
            }
        }
        return "no probe message reached Kafka within " + READY_TIMEOUT.toSeconds() + " s"
                + (reader.failure() != null ? " (the reader failed: " + reader.failure() + ")" : "");
    }

    private KafkaRunResult tally(String system, KafkaScenario scenario, RunningBridge bridge,
                                 List<Publisher> publishers, List<Thread> threads, RouteTopicReader reader,
                                 long ackedInWindow, long over, Map<String, OptionalLong> cpu0,
                                 Map<String, OptionalLong> cpu1, Map<String, Long> processes, Duration drainTime,
                                 DrainEnd drainEnd, long[] windowFrom, long[] windowTo) {
        List<String> notes = new ArrayList<>();
        long published = 0;
        long accepted = 0;
        long refused = 0;
        long arrived = 0;
        long unacknowledgedArrived = 0;
        long[] missing = new long[3]; // sent in the warm-up, in the window, after it
        for (int i = 0; i < publishers.size(); i++) {
            Publisher publisher = publishers.get(i);
            published += publisher.written();
            accepted += publisher.acked();
            refused += publisher.refused();
            long acked = publisher.acked();
            arrived += reader.arrivedBelow(i, acked);
            long[] bounds = {0, Math.min(windowFrom[i], acked), Math.min(windowTo[i], acked), acked};
            for (int part = 0; part < 3; part++) {
                missing[part] += bounds[part + 1] - bounds[part]
                        - reader.arrivedBetween(i, bounds[part], bounds[part + 1]);
            }
            unacknowledgedArrived += reader.arrivedFrom(i, publisher.acked());
            if (publisher.failure() != null) {
                notes.add("publisher " + i + ": " + publisher.failure());
            }
            if (threads.get(i).isAlive()) {
                notes.add("publisher " + i + " was still waiting for PUBACKs after the drain");
            }
        }
        if (refused > 0) {
            notes.add(refused + " PUBACKs with a failure reason code (MQTT 5)");
        }
        notes.add(String.format(Locale.ROOT, "order: %,d records came after a higher sequence number of the same "
                + "publisher (out of order)", reader.outOfOrder()));
        if (reader.malformed() > 0) {
            notes.add(reader.malformed() + " records in the topic had a value this driver did not write");
        }
        if (reader.failure() != null) {
            notes.add("the driver's Kafka reader failed: " + reader.failure());
        }
        double systemCpu = 0;
        List<String> processCpu = new ArrayList<>();
        for (String name : processes.keySet()) {
            double percent = ProcStats.cpuPercent(cpu0.get(name), cpu1.get(name), over);
            systemCpu = percent < 0 || systemCpu < 0 ? -1 : systemCpu + percent;
            processCpu.add(String.format(Locale.ROOT, "%s %.0f%%", name, percent));
        }
        notes.add("CPU over the window: " + String.join(", ", processCpu));
        double kafkaCpu = ProcStats.cpuPercent(cpu0.get("kafka"), cpu1.get("kafka"), over);
        double driverCpu = ProcStats.cpuPercent(cpu0.get("driver"), cpu1.get("driver"), over);
        double seconds = over / 1e9;
        long[] perSecond = reader.perSecond();
        long slowest = Long.MAX_VALUE;
        int silent = 0;
        for (long count : perSecond) {
            slowest = Math.min(slowest, count);
            silent += count == 0 ? 1 : 0;
        }
        WindowSeconds window = new WindowSeconds(perSecond.length == 0 ? 0 : slowest, silent, perSecond.length);
        long[] rss = {0};
        processes.values().forEach(pid -> rss[0] += ProcStats.residentBytes(pid).orElse(0));
        Arrivals arrivals = new Arrivals(arrived, unacknowledgedArrived, missing[0], missing[1], missing[2]);
        return new KafkaRunResult(system, scenario, null, published, accepted, refused, published - accepted,
                ackedInWindow / seconds, reader.visibleInWindow() / seconds, arrivals, reader.duplicates(),
                reader.malformed(), LatencySummary.of(reader.latency()), LatencySummary.NONE, window, systemCpu,
                processCpu, kafkaCpu, driverCpu, rss[0], rss[0], bridge.isAlive(), 0, drainTime, drainEnd, notes);
    }

    /** Each publisher's messages written so far: sequence numbers below it were sent by now. */
    private static long[] written(List<Publisher> publishers) {
        long[] written = new long[publishers.size()];
        for (int i = 0; i < written.length; i++) {
            written[i] = publishers.get(i).written();
        }
        return written;
    }

    private static long acked(List<Publisher> publishers) {
        long sum = 0;
        for (Publisher publisher : publishers) {
            sum += publisher.acked();
        }
        return sum;
    }

    private static Map<String, OptionalLong> cpu(Map<String, Long> processes, KafkaServer kafka) {
        Map<String, OptionalLong> cpu = new java.util.HashMap<>();
        processes.forEach((name, pid) -> cpu.put(name, ProcStats.cpuNanos(pid)));
        cpu.put("kafka", kafka.isRunning() ? ProcStats.cpuNanos(kafka.pid()) : OptionalLong.empty());
        cpu.put("driver", ProcStats.cpuNanos(SELF));
        return cpu;
    }
}
