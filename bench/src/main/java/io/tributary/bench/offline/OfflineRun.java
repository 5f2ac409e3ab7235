package io.tributary.bench.offline;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tributary.bench.load.LoadClient;
import io.tributary.bench.load.Payload;
import io.tributary.bench.load.Publisher;
import io.tributary.bench.load.Publishers;
import io.tributary.bench.load.RunClock;
import io.tributary.bench.report.Progress;
import io.tributary.bench.server.BrokerLauncher;
import io.tributary.bench.server.ProcStats;
import io.tributary.bench.server.RunningBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One broker through the offline-sessions benchmark: its sessions subscribe and go away, the publishers push QoS 1
 * for the warm-up and the measured window, then the sessions come back and read their queues, so that every
 * accepted message is checked for.
 */
final class OfflineRun {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    /** Reading back ends once the sessions have everything, or nothing arrived for this long. */
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final OfflineSettings settings;

    OfflineRun(OfflineSettings settings) {
        this.settings = settings;
    }

    OfflineRunResult run(BrokerLauncher launcher, Path workDir, Path pidFile) throws Exception {
        List<String> notes = new ArrayList<>();
        try (RunningBroker broker = RunningBroker.start(launcher, workDir, pidFile, READY_TIMEOUT)) {
            Progress.say("%s ready on port %d (pid %d)", launcher.displayName(), broker.port(), broker.pid());
            for (int s = 0; s < settings.sessions(); s++) {
                Mqtt5AsyncClient session = session(broker.port(), s);
                session.connectWith().cleanStart(true).sessionExpiryInterval(3600).send()
                        .get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                session.subscribeWith().topicFilter("bench/#").qos(MqttQos.AT_LEAST_ONCE).send()
                        .get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                session.disconnect().get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }

            List<LoadClient> clients = new ArrayList<>();
            List<Publisher> publishers = new ArrayList<>();
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            RunClock clock = new RunClock(start, settings.load().warmUp().toNanos(),
                    settings.load().measure().toNanos());
            for (int i = 0; i < settings.publishers(); i++) {
                LoadClient client = LoadClient.create(settings.load(), "offline-pub-" + i, RunningBroker.HOST,
                        broker.port());
                client.connect(CLIENT_TIMEOUT);
                clients.add(client);
                int index = i;
                publishers.add(new Publisher(i, client, "bench/" + i, 1, settings.load().inFlight(), 0, clock,
                        (sequence, sentNanos) -> Payload.encode(settings.load().payloadBytes(), sentNanos, index,
                                sequence)));
            }
            Publishers all = new Publishers(publishers);
            long driverPid = ProcessHandle.current().pid();
            all.startAt(start);
            RunClock.sleepUntil(clock.windowStart());
            OptionalLong brokerCpu0 = broker.cpuNanos();
            OptionalLong driverCpu0 = ProcStats.cpuNanos(driverPid);
            OptionalLong machine0 = ProcStats.machineBusyNanos();
            RunClock.sleepUntil(clock.windowEnd());
            OptionalLong brokerCpu1 = broker.cpuNanos();
            OptionalLong driverCpu1 = ProcStats.cpuNanos(driverPid);
            OptionalLong machine1 = ProcStats.machineBusyNanos();
            all.stop();
            long unanswered = all.awaitAnswers(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            if (unanswered > 0) {
                notes.add(unanswered + " publishes still without PUBACK 30 s after publishing stopped");
            }
            if (all.rejected() > 0) {
                notes.add(all.rejected() + " publishes refused or cut off");
            }
            notes.addAll(LoadClient.disconnections(clients, "publisher"));
            clients.forEach(LoadClient::close);
            long window = settings.load().measure().toNanos();
            double rate = all.acceptedInWindow() * 1e9 / window;
            long resident = broker.residentBytes().orElse(-1);
            long disk = bytesUnder(workDir);
            Progress.say("%s accepted %,d (%,.0f msg/s in the window); the sessions read back", launcher.displayName(),
                    all.accepted(), rate);

            Drain drain = drain(broker.port(), all);
            if (!broker.isAlive()) {
                notes.add(broker.exitNote(launcher.displayName()));
            }
            return new OfflineRunResult(launcher.displayName(), launcher.settings(), all.accepted(), rate,
                    ProcStats.cpuPercent(brokerCpu0, brokerCpu1, window),
                    ProcStats.cpuPercent(driverCpu0, driverCpu1, window),
                    ProcStats.cpuPercent(machine0, machine1, window) / Runtime.getRuntime().availableProcessors(),
                    resident, disk, drain.delivered, drain.lost, drain.duplicates, drain.nanos, notes);
        }
    }

    private record Drain(long delivered, long lost, long duplicates, long nanos) {
    }

    /** The sessions reconnect and read until they have every accepted message, or nothing came for a while. */
    private Drain drain(int port, Publishers publishers) throws Exception {
        int count = settings.publishers();
        long expected = publishers.accepted() * settings.sessions();
        List<BitSet[]> received = new ArrayList<>();
        AtomicLong receptions = new AtomicLong();
        AtomicLong last = new AtomicLong(System.nanoTime());
        List<Mqtt5AsyncClient> sessions = new ArrayList<>();
        long begin = System.nanoTime();
        for (int s = 0; s < settings.sessions(); s++) {
            BitSet[] bits = new BitSet[count];
            for (int p = 0; p < count; p++) {
                bits[p] = new BitSet();
            }
            received.add(bits);
            Mqtt5AsyncClient session = session(port, s);
            session.publishes(MqttGlobalPublishFilter.ALL, publish -> {
                ByteBuffer payload = publish.getPayload().orElse(ByteBuffer.allocate(0));
                if (Payload.isWellFormed(payload)) {
                    int publisher = Payload.publisher(payload);
                    if (publisher >= 0 && publisher < count) {
                        synchronized (bits) {
                            bits[publisher].set(Payload.sequence(payload));
                        }
                    }
                }
                receptions.incrementAndGet();
                last.set(System.nanoTime());
            });
            session.connectWith().cleanStart(false).sessionExpiryInterval(3600).send()
                    .get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            sessions.add(session);
        }
        long deadline = begin + settings.load().drainTimeout().toNanos();
        while (System.nanoTime() < deadline && System.nanoTime() - last.get() < QUIET_NANOS
                && distinct(received) < expected) {
            Thread.sleep(20);
        }
        long nanos = last.get() - begin;
        long lost = 0;
        for (BitSet[] bits : received) {
            for (Publisher publisher : publishers.all()) {
                BitSet missing = publisher.accepted();
                synchronized (bits) {
                    missing.andNot(bits[publisher.index()]);
                }
                lost += missing.cardinality();
            }
        }
        long delivered = distinct(received);
        for (Mqtt5AsyncClient session : sessions) {
            session.disconnect().exceptionally(e -> null).get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        return new Drain(delivered, lost, receptions.get() - delivered, Math.max(0, nanos));
    }

    private static long distinct(List<BitSet[]> received) {
        long sum = 0;
        for (BitSet[] bits : received) {
            synchronized (bits) {
                for (BitSet b : bits) {
                    sum += b.cardinality();
                }
            }
        }
        return sum;
    }

    /** A session's client, on the publishers' I/O threads (the client library shares one executor per size). */
    private Mqtt5AsyncClient session(int port, int index) {
        int threads = settings.load().clientIoThreads();
        MqttClientExecutorConfig executors = threads == 0 ? MqttClientExecutorConfig.builder().build()
                : MqttClientExecutorConfig.builder().nettyThreads(threads).build();
        return MqttClient.builder().useMqttVersion5().identifier("offline-session-" + index)
                .serverHost(RunningBroker.HOST).serverPort(port).executorConfig(executors).buildAsync();
    }

    private static long bytesUnder(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // removed while we looked
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }
}
