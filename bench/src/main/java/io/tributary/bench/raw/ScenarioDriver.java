package io.tributary.bench.raw;

import io.tributary.bench.load.LatencyHistogram;
import io.tributary.bench.server.ProcStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Runs one scenario against a broker that is already running, and measures it: the driver's threads, the counting,
 * the windows, and the CPU of the driver and the broker over the measured window.
 */
final class ScenarioDriver {

    private static final long SELF = ProcessHandle.current().pid();
    private static final long QUIET_NANOS = 2_000_000_000L;
    static final int WARM_ROUNDS = 5;

    private final String host;
    private final int port;
    private final long brokerPid;
    private final RawSettings settings;
    private final String runId = Long.toString(System.nanoTime() % 1_000_000, 36);

    ScenarioDriver(String host, int port, long brokerPid, RawSettings settings) {
        this.host = host;
        this.port = port;
        this.brokerPid = brokerPid;
        this.settings = settings;
    }

    void run(RawScenario scenario, Measurement into) throws IOException, InterruptedException {
        switch (scenario) {
            case FLOOD_QOS0, FAN_IN_QOS1 -> fanIn(scenario, into);
            case LATENCY_QOS0, LATENCY_QOS1 -> latency(scenario, into);
            case CONNECT_RATE -> connectRate(into);
            default -> throw new IllegalStateException(scenario.toString());
        }
    }

    private void fanIn(RawScenario scenario, Measurement into) throws IOException, InterruptedException {
        int qos = scenario.qos();
        int version = settings.mqttVersion();
        String topic = "raw/" + runId + "/" + scenario.id();
        try (SysCounters sys = SysCounters.watch(host, port, version)) {
            Receiver receiver = new Receiver(subscriber(topic + "/+", qos), settings.publishers(), qos == 0);
            List<Publisher> publishers = new ArrayList<>();
            for (int i = 0; i < settings.publishers(); i++) {
                RawConnection connection = RawConnection.open(host, port, version, "raw-pub-" + runId + "-" + i);
                publishers.add(Publisher.flood(connection, i, topic + "/" + i, qos, settings.payloadBytes(),
                        settings.inFlight()));
            }
            OptionalLong readBefore = awaitValue(sys::publishesReceived);
            OptionalLong droppedBefore = sys.publishesDropped();
            Thread receiving = start(receiver, "raw-receiver");
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < publishers.size(); i++) {
                threads.add(start(publishers.get(i), "raw-publisher-" + i));
            }
            Thread.sleep(settings.warmUp().toMillis());
            Window window = Window.open(brokerPid);
            long distinct0 = receiver.counts().distinct();
            long written0 = written(publishers);
            Thread.sleep(settings.measure().toMillis());
            long distinct1 = receiver.counts().distinct();
            long written1 = written(publishers);
            window.close(into);
            into.deliveredPerSecond = (distinct1 - distinct0) / window.seconds();
            into.writtenPerSecond = (written1 - written0) / window.seconds();

            publishers.forEach(Publisher::stop);
            long joinDeadline = System.nanoTime() + settings.drainTimeout().toNanos();
            for (Thread thread : threads) {
                thread.join(Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000));
            }
            long written = written(publishers);
            awaitDrain(receiver, written);
            Thread.sleep(2_500); // both brokers publish $SYS every second: let the last counts arrive
            long refused = 0;
            for (int i = 0; i < publishers.size(); i++) {
                boolean ended = !threads.get(i).isAlive();
                if (!ended) {
                    into.problem("publisher " + i + " was still blocked after the drain");
                }
                publishers.get(i).close(ended);
                refused += publishers.get(i).refused();
                if (publishers.get(i).failure() != null) {
                    into.problem("publisher " + i + ": " + publishers.get(i).failure());
                }
            }
            if (refused > 0) {
                into.problem(refused + " PUBACKs with a failure reason code (MQTT 5): messages the broker refused");
            }
            finishReceiver(receiver, receiving, written, into);
            OptionalLong readAfter = sys.publishesReceived();
            OptionalLong droppedAfter = sys.publishesDropped();
            if (readBefore.isPresent() && readAfter.isPresent()) {
                into.brokerRead = readAfter.getAsLong() - readBefore.getAsLong();
            }
            if (readAfter.isPresent()) {
                into.brokerDropped = droppedAfter.orElse(0) - droppedBefore.orElse(0);
            }
        }
    }

    private void latency(RawScenario scenario, Measurement into) throws IOException, InterruptedException {
        int qos = scenario.qos();
        String topic = "raw/" + runId + "/" + scenario.id();
        Receiver receiver = new Receiver(subscriber(topic, qos), 1, false);
        long start = System.nanoTime();
        long measureFrom = start + settings.latencyWarmUp().toNanos();
        long until = measureFrom + settings.latencyMeasure().toNanos();
        Publisher publisher = Publisher.paced(
                RawConnection.open(host, port, settings.mqttVersion(), "raw-pub-" + runId),
                0, topic, qos, settings.payloadBytes(), settings.inFlight(), settings.rate(), until);
        receiver.measureFrom(measureFrom);
        Thread receiving = start(receiver, "raw-receiver");
        Thread publishing = start(publisher, "raw-publisher");
        Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
        Window window = Window.open(brokerPid);
        long distinct0 = receiver.counts().distinct();
        Thread.sleep(Math.max(0, (until - System.nanoTime()) / 1_000_000));
        long distinct1 = receiver.counts().distinct();
        window.close(into);
        into.deliveredPerSecond = (distinct1 - distinct0) / window.seconds();
        publishing.join(settings.drainTimeout().toMillis());
        long written = publisher.written();
        into.writtenPerSecond = settings.rate();
        awaitDrain(receiver, written);
        publisher.close(!publishing.isAlive());
        if (publisher.refused() > 0) {
            into.problem(publisher.refused() + " PUBACKs with a failure reason code (MQTT 5)");
        }
        if (publisher.failure() != null) {
            into.problem("publisher: " + publisher.failure());
        }
        finishReceiver(receiver, receiving, written, into);
        LatencyHistogram histogram = receiver.latency();
        into.latencySamples = histogram.count();
        into.p50Nanos = histogram.percentileNanos(50);
        into.p99Nanos = histogram.percentileNanos(99);
        into.p999Nanos = histogram.percentileNanos(99.9);
        into.maxNanos = histogram.maxNanos();
    }

    /** A cold round on the fresh broker, then {@link #WARM_ROUNDS} more: their median is the warm rate. */
    private void connectRate(Measurement into) throws IOException {
        long timeout = settings.drainTimeout().toNanos();
        ConnectionRate.Result cold = ConnectionRate.run(host, port, settings.mqttVersion(), "raw-cold-" + runId + "-",
                settings.clients(), settings.concurrency(), timeout);
        int refused = cold.refused();
        double[] warm = new double[WARM_ROUNDS];
        Window window = Window.open(brokerPid);
        for (int round = 0; round < WARM_ROUNDS; round++) {
            ConnectionRate.Result result = ConnectionRate.run(host, port, settings.mqttVersion(),
                    "raw-warm-" + runId + "-" + round + "-", settings.clients(), settings.concurrency(), timeout);
            warm[round] = result.perSecond();
            refused += result.refused();
        }
        window.close(into);
        java.util.Arrays.sort(warm);
        into.coldPerSecond = cold.perSecond();
        into.warmPerSecond = warm[WARM_ROUNDS / 2];
        into.refused = refused;
        if (refused > 0) {
            into.problem(refused + " connections refused or failed");
        }
    }

    private RawConnection subscriber(String filter, int qos) throws IOException {
        RawConnection connection = RawConnection.open(host, port, settings.mqttVersion(), "raw-sub-" + runId);
        connection.subscribe(filter, qos);
        return connection;
    }

    private void finishReceiver(Receiver receiver, Thread thread, long written, Measurement into)
            throws InterruptedException {
        receiver.stop();
        thread.join(5_000);
        Receiver.Counts counts = receiver.counts();
        into.written = written;
        into.distinct = counts.distinct();
        into.duplicates = counts.duplicates();
        into.outOfOrder = counts.outOfOrder();
        if (receiver.failure() != null) {
            into.problem("subscriber: " + receiver.failure());
        }
    }

    /** Waits until the subscriber has everything written, or received nothing new for two seconds. */
    private void awaitDrain(Receiver receiver, long written) throws InterruptedException {
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long distinct = receiver.counts().distinct();
            if (distinct >= written || receiver.failure() != null) {
                return;
            }
            if (distinct != last) {
                last = distinct;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > QUIET_NANOS) {
                return;
            }
            Thread.sleep(50);
        }
    }

    /** A $SYS value once it has arrived (a broker publishes them when a subscriber comes), or empty after 5 s. */
    private static OptionalLong awaitValue(java.util.function.Supplier<OptionalLong> value)
            throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (value.get().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return value.get();
    }

    private static long written(List<Publisher> publishers) {
        long sum = 0;
        for (Publisher publisher : publishers) {
            sum += publisher.written();
        }
        return sum;
    }

    private static Thread start(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * The measured window: wall time and the CPU of the driver, of the broker, and of everything else on the machine
     * (another build, say), which on a shared machine says whether a figure can be trusted.
     */
    private record Window(long startNanos, OptionalLong driverCpu, OptionalLong brokerCpu, OptionalLong machineBusy,
                          long brokerPid, long[] end) {

        static Window open(long brokerPid) {
            return new Window(System.nanoTime(), ProcStats.cpuNanos(SELF), ProcStats.cpuNanos(brokerPid),
                    ProcStats.machineBusyNanos(), brokerPid, new long[1]);
        }

        void close(Measurement into) {
            end[0] = System.nanoTime();
            long over = end[0] - startNanos;
            into.driverCpuPercent = ProcStats.cpuPercent(driverCpu, ProcStats.cpuNanos(SELF), over);
            into.brokerCpuPercent = ProcStats.cpuPercent(brokerCpu, ProcStats.cpuNanos(brokerPid), over);
            double machine = ProcStats.cpuPercent(machineBusy, ProcStats.machineBusyNanos(), over);
            if (machine >= 0 && into.driverCpuPercent >= 0 && into.brokerCpuPercent >= 0) {
                into.otherCpuPercent = Math.max(0, machine - into.driverCpuPercent - into.brokerCpuPercent);
            }
        }

        double seconds() {
            return (end[0] - startNanos) / 1e9;
        }
    }
}
