package io.tributary.bench.raw;

import io.tributary.bench.load.LatencyHistogram;
import io.tributary.bench.server.ProcStats;
import java.io.IOException;
import java.net.InetAddress;
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
    /**
     * Rounds between the cold one and the measured ones: a JVM broker's JIT compiles the connection path over the
     * first tens of thousands of connections, and warm is meant to be after that.
     */
    static final int WARM_UP_ROUNDS = 5;
    static final int KEEP_ALIVE_SECONDS = 60;
    /** Long enough that no idle connection's keep-alive runs out while 100,000 are opened and measured. */
    static final int IDLE_KEEP_ALIVE_SECONDS = 600;
    static final long IDLE_SETTLE_MILLIS = 3_000;
    static final int CONNECTIONS_PER_SOURCE = 20_000;
    /** Descriptors the driver needs besides the idle connections (jars, selectors, its own sockets). */
    private static final int FILES_SPARE = 300;

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
            case IDLE -> idle(into);
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

    /**
     * A cold round on the fresh broker (the broker's RSS is read while all its connections are open),
     * {@link #WARM_UP_ROUNDS} not measured, then {@link #WARM_ROUNDS} more: their median is the warm rate. Each round's connections are closed and the broker
     * left to go quiet before the next; CPU is counted over the rounds only.
     */
    private void connectRate(Measurement into) throws IOException, InterruptedException {
        int clients = settings.clients();
        List<InetAddress> sources = ConnectionRate.sourceAddresses(sourceAddressesFor(clients));
        long timeout = Math.max(settings.drainTimeout().toNanos(), clients * 2_000_000L);
        into.connections = clients;
        Rounds coldCost = new Rounds(brokerPid);
        ConnectionRate.Result cold = coldCost.measure(() -> ConnectionRate.run(host, port, settings.mqttVersion(),
                "raw-cold-" + runId + "-", clients, settings.concurrency(), settings.connectThreads(), sources,
                KEEP_ALIVE_SECONDS, timeout));
        into.rssConnectedBytes = ProcStats.residentBytes(brokerPid).orElse(-1);
        cold.close();
        into.coldDriverCpuPercent = coldCost.driverPercent();
        int refused = cold.refused();
        awaitQuiet();
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            String prefix = "raw-warm-up-" + runId + "-" + round + "-";
            ConnectionRate.Result result = ConnectionRate.run(host, port, settings.mqttVersion(), prefix, clients,
                    settings.concurrency(), settings.connectThreads(), sources, KEEP_ALIVE_SECONDS, timeout);
            result.close();
            refused += result.refused();
            awaitQuiet();
        }
        double[] warm = new double[WARM_ROUNDS];
        Rounds warmCost = new Rounds(brokerPid);
        int warmConnected = 0;
        for (int round = 0; round < WARM_ROUNDS; round++) {
            String prefix = "raw-warm-" + runId + "-" + round + "-";
            ConnectionRate.Result result = warmCost.measure(() -> ConnectionRate.run(host, port,
                    settings.mqttVersion(), prefix, clients, settings.concurrency(), settings.connectThreads(),
                    sources, KEEP_ALIVE_SECONDS, timeout));
            result.close();
            warm[round] = result.perSecond();
            refused += result.refused();
            warmConnected += result.connected();
            awaitQuiet();
        }
        java.util.Arrays.sort(warm);
        into.coldPerSecond = cold.perSecond();
        into.warmPerSecond = warm[WARM_ROUNDS / 2];
        into.driverCpuPercent = warmCost.driverPercent();
        into.brokerCpuPercent = warmCost.brokerPercent();
        into.otherCpuPercent = warmCost.otherPercent();
        into.driverMicrosPerConnection = warmCost.driverMicrosPer(warmConnected);
        into.brokerMicrosPerConnection = warmCost.brokerMicrosPer(warmConnected);
        into.refused = refused;
        if (refused > 0) {
            into.problem(refused + " connections refused or failed");
        }
    }

    /**
     * Opens {@link RawSettings#idleClients()} connections (on several source addresses when they are more than one
     * address's ephemeral ports), lets the broker settle and reads its RSS with all of them open.
     */
    private void idle(Measurement into) throws IOException, InterruptedException {
        int clients = settings.idleClients();
        long limit = openFileLimit();
        if (limit > 0 && clients + FILES_SPARE > limit) {
            into.problem("the driver's open-file limit is " + limit + ": " + (limit - FILES_SPARE) + " of " + clients
                    + " clients opened (raise it with ulimit -n, as bench/run.sh does up to the hard limit)");
            clients = (int) (limit - FILES_SPARE);
        }
        int count = clients;
        List<InetAddress> sources = ConnectionRate.sourceAddresses(sourceAddressesFor(clients));
        long timeout = Math.max(settings.drainTimeout().toNanos(), clients * 2_000_000L);
        Rounds cost = new Rounds(brokerPid);
        try (ConnectionRate.Result result = cost.measure(() -> ConnectionRate.run(host, port, settings.mqttVersion(),
                "raw-idle-" + runId + "-", count, settings.concurrency(), settings.connectThreads(), sources,
                IDLE_KEEP_ALIVE_SECONDS, timeout))) {
            into.connections = result.connected();
            into.coldPerSecond = result.perSecond();
            into.coldDriverCpuPercent = cost.driverPercent();
            into.brokerMicrosPerConnection = cost.brokerMicrosPer(result.connected());
            into.driverMicrosPerConnection = cost.driverMicrosPer(result.connected());
            into.refused = result.refused();
            if (result.refused() > 0) {
                into.problem(result.refused() + " connections refused or failed");
            }
            awaitQuiet();
            Thread.sleep(IDLE_SETTLE_MILLIS);
            into.rssConnectedBytes = ProcStats.residentBytes(brokerPid).orElse(-1);
        }
        awaitQuiet();
    }

    /** One source address per 20,000 connections beyond the first 20,000 (one address has ~28,000 ports). */
    static int sourceAddressesFor(int clients) {
        return clients <= CONNECTIONS_PER_SOURCE ? 0 : (clients + CONNECTIONS_PER_SOURCE - 1) / CONNECTIONS_PER_SOURCE;
    }

    private static long openFileLimit() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    /** Waits until the broker uses under a tenth of a core (closed connections handled), at most 15 s. */
    private void awaitQuiet() throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        OptionalLong before = ProcStats.cpuNanos(brokerPid);
        while (System.nanoTime() < deadline) {
            Thread.sleep(300);
            OptionalLong after = ProcStats.cpuNanos(brokerPid);
            if (before.isEmpty() || after.isEmpty() || after.getAsLong() - before.getAsLong() < 30_000_000L) {
                return;
            }
            before = after;
        }
    }

    /** A round that opens connections, measured. */
    private interface Round {
        ConnectionRate.Result run() throws IOException, InterruptedException;
    }

    /** CPU of the driver, the broker and the rest of the machine, summed over the rounds only (not the pauses). */
    private static final class Rounds {
        private final long brokerPid;
        private long wall;
        private long driver;
        private long broker;
        private long machine;

        Rounds(long brokerPid) {
            this.brokerPid = brokerPid;
        }

        ConnectionRate.Result measure(Round round) throws IOException, InterruptedException {
            long start = System.nanoTime();
            OptionalLong d0 = ProcStats.cpuNanos(SELF);
            OptionalLong b0 = ProcStats.cpuNanos(brokerPid);
            OptionalLong m0 = ProcStats.machineBusyNanos();
            ConnectionRate.Result result = round.run();
            wall += System.nanoTime() - start;
            driver += ProcStats.cpuNanos(SELF).orElse(0) - d0.orElse(0);
            broker += ProcStats.cpuNanos(brokerPid).orElse(0) - b0.orElse(0);
            machine += ProcStats.machineBusyNanos().orElse(0) - m0.orElse(0);
            return result;
        }

        double driverPercent() {
            return wall == 0 ? -1 : 100.0 * driver / wall;
        }

        double brokerPercent() {
            return wall == 0 ? -1 : 100.0 * broker / wall;
        }

        double otherPercent() {
            return wall == 0 ? -1 : Math.max(0, 100.0 * (machine - driver - broker) / wall);
        }

        double driverMicrosPer(int connections) {
            return connections == 0 ? -1 : driver / 1e3 / connections;
        }

        double brokerMicrosPer(int connections) {
            return connections == 0 ? -1 : broker / 1e3 / connections;
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
