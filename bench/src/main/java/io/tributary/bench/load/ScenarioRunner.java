package io.tributary.bench.load;

import io.tributary.bench.server.ProcStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs one {@link Scenario} against one broker: connects the subscribers, then the publishers, publishes through the
 * warm-up and the measured window, drains, and counts what arrived against what the broker accepted.
 */
public final class ScenarioRunner {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final long SAMPLE_MILLIS = 200;

    private final LoadSettings settings;
    private final ClientLogWatch clientLog;

    /** @param clientLog where the driver's MQTT client reports what it dropped; reset at the start of every run */
    public ScenarioRunner(LoadSettings settings, ClientLogWatch clientLog) {
        this.settings = settings;
        this.clientLog = clientLog;
    }

    public ScenarioResult run(Target target, Scenario scenario) throws InterruptedException {
        String nonce = Long.toString(System.nanoTime() & 0xFFFFFF, 36);
        clientLog.reset();
        List<LoadClient> subscriberClients = new ArrayList<>();
        List<LoadClient> publisherClients = new ArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "rss-sampler");
            thread.setDaemon(true);
            return thread;
        });
        try {
            // Probes need the clock, which starts after the clients connect: subscribers deliver through this array.
            AtomicReferenceArray<SubscriberProbe> probes = new AtomicReferenceArray<>(scenario.subscribers());
            for (int i = 0; i < scenario.subscribers(); i++) {
                LoadClient client = LoadClient.create(settings, "bench-" + nonce + "-sub-" + i, target.host(),
                        target.port());
                subscriberClients.add(client);
                client.connect(CONNECT_TIMEOUT);
                int index = i;
                client.subscribe(Scenario.FILTER, scenario.qos(), payload -> {
                    SubscriberProbe probe = probes.get(index);
                    if (probe != null) {
                        probe.accept(payload);
                    }
                }, CONNECT_TIMEOUT);
            }
            for (int i = 0; i < scenario.publishers(); i++) {
                LoadClient client = LoadClient.create(settings, "bench-" + nonce + "-pub-" + i, target.host(),
                        target.port());
                publisherClients.add(client);
                client.connect(CONNECT_TIMEOUT);
            }
            return measure(target, scenario, subscriberClients, publisherClients, probes, sampler);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return ScenarioResult.failed(target.name(), scenario, settings, "clients could not connect: " + e,
                    target.isAlive(), List.of());
        } finally {
            sampler.shutdownNow();
            publisherClients.forEach(LoadClient::close);
            subscriberClients.forEach(LoadClient::close);
        }
    }

    private ScenarioResult measure(Target target, Scenario scenario, List<LoadClient> subscriberClients,
                                   List<LoadClient> publisherClients, AtomicReferenceArray<SubscriberProbe> probeSlots,
                                   ScheduledExecutorService sampler) throws InterruptedException {
        AtomicLong rssPeak = new AtomicLong(-1);
        sampler.scheduleAtFixedRate(() -> target.residentBytes().ifPresent(rss -> rssPeak.accumulateAndGet(rss, Math::max)),
                0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);

        long start = System.nanoTime() + 100_000_000L; // a moment to start the threads
        RunClock clock = new RunClock(start, settings.warmUp().toNanos(), settings.measure().toNanos());
        int seconds = (int) ((settings.warmUp().plus(settings.measure()).plus(settings.drainTimeout()).toNanos())
                / 1_000_000_000L) + 5;
        SubscriberProbe[] probes = new SubscriberProbe[probeSlots.length()];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = new SubscriberProbe(scenario.publishers(), clock, seconds);
            probeSlots.set(i, probes[i]);
        }
        List<Publisher> publishers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < scenario.publishers(); i++) {
            Publisher publisher = new Publisher(i, publisherClients.get(i), scenario, settings, clock);
            publishers.add(publisher);
            Thread thread = new Thread(publisher, "publisher-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        sleepUntil(start);
        threads.forEach(Thread::start);

        sleepUntil(clock.windowStart());
        OptionalLong brokerCpuStart = target.cpuNanos();
        OptionalLong driverCpuStart = ProcStats.cpuNanos(ProcessHandle.current().pid());
        sleepUntil(clock.windowEnd());
        OptionalLong brokerCpuEnd = target.cpuNanos();
        OptionalLong driverCpuEnd = ProcStats.cpuNanos(ProcessHandle.current().pid());

        publishers.forEach(Publisher::stop);
        for (Thread thread : threads) {
            thread.join(2000);
        }
        long drainStart = System.nanoTime();
        long deadline = drainStart + settings.drainTimeout().toNanos();
        long unanswered = 0;
        for (Publisher publisher : publishers) {
            unanswered += publisher.awaitOutstanding(deadline);
        }
        long acceptedTotal = publishers.stream().mapToLong(Publisher::acceptedCount).sum();
        long expectedTotal = acceptedTotal * probes.length;
        // QoS 1 gets longer: a broker may hold acknowledged messages back for a while and still deliver them.
        long quietNanos = scenario.qos() == 0 ? 1_000_000_000L : 5_000_000_000L;
        ScenarioResult.DrainEnd drainEnd = ScenarioResult.DrainEnd.TIMED_OUT;
        while (System.nanoTime() < deadline) {
            if (!target.isAlive()) {
                drainEnd = ScenarioResult.DrainEnd.BROKER_DIED;
                break;
            }
            long unique = 0;
            long last = 0;
            for (SubscriberProbe probe : probes) {
                unique += probe.unique();
                last = Math.max(last, probe.lastDeliveryNanos());
            }
            if (unique >= expectedTotal) {
                drainEnd = ScenarioResult.DrainEnd.ALL_DELIVERED;
                break;
            }
            if (System.nanoTime() - Math.max(last, drainStart) > quietNanos) {
                drainEnd = ScenarioResult.DrainEnd.QUIET;
                break;
            }
            Thread.sleep(20);
        }
        Duration drainTime = Duration.ofNanos(System.nanoTime() - drainStart);
        sampler.shutdownNow();
        long rssEnd = target.residentBytes().orElse(-1);
        boolean survived = target.isAlive();

        return tally(target, scenario, publishers, probes, clock, unanswered, drainTime, drainEnd, rssEnd,
                Math.max(rssPeak.get(), rssEnd), cpuPercent(brokerCpuStart, brokerCpuEnd),
                cpuPercent(driverCpuStart, driverCpuEnd), survived, subscriberClients, publisherClients);
    }

    private ScenarioResult tally(Target target, Scenario scenario, List<Publisher> publishers,
                                 SubscriberProbe[] probes, RunClock clock, long unanswered, Duration drainTime,
                                 ScenarioResult.DrainEnd drainEnd, long rssEnd, long rssPeak, double brokerCpu, double driverCpu, boolean survived,
                                 List<LoadClient> subscriberClients, List<LoadClient> publisherClients) {
        List<String> notes = new ArrayList<>();
        long published = 0;
        long accepted = 0;
        long rejected = 0;
        long acceptedInWindow = 0;
        BitSet[] acceptedSeqs = new BitSet[publishers.size()];
        for (Publisher publisher : publishers) {
            published += publisher.published();
            accepted += publisher.acceptedCount();
            rejected += publisher.rejected();
            acceptedInWindow += publisher.acceptedInWindow();
            acceptedSeqs[publisher.index()] = publisher.accepted();
            if (publisher.firstRejection() != null) {
                notes.add("publisher " + publisher.index() + ": first rejected publish: " + publisher.firstRejection());
            }
        }
        long expected = accepted * probes.length;
        long delivered = 0;
        long duplicates = 0;
        long unacknowledgedDelivered = 0;
        long deliveredInWindow = 0;
        long malformed = 0;
        long[] lostBySendTime = new long[3];
        LatencyHistogram latency = new LatencyHistogram();
        long[] perSecond = new long[probes[0].perSecond().length];
        for (SubscriberProbe probe : probes) {
            for (int p = 0; p < publishers.size(); p++) {
                BitSet received = probe.received(p);
                BitSet arrivedAsPromised = (BitSet) received.clone();
                arrivedAsPromised.and(acceptedSeqs[p]);
                delivered += arrivedAsPromised.cardinality();
                unacknowledgedDelivered += received.cardinality() - arrivedAsPromised.cardinality();
                BitSet missing = (BitSet) acceptedSeqs[p].clone();
                missing.andNot(received);
                Publisher publisher = publishers.get(p);
                int windowFrom = publisher.firstInWindow();
                int windowTo = Math.max(windowFrom, publisher.firstAfterWindow());
                lostBySendTime[0] += missing.get(0, windowFrom).cardinality();
                lostBySendTime[1] += missing.get(windowFrom, windowTo).cardinality();
                lostBySendTime[2] += missing.get(windowTo, Math.max(windowTo, missing.length())).cardinality();
            }
            duplicates += probe.duplicates();
            malformed += probe.malformed();
            deliveredInWindow += probe.deliveredInWindow();
            latency.add(probe.latency());
            long[] seconds = probe.perSecond();
            for (int s = 0; s < perSecond.length; s++) {
                perSecond[s] += seconds[s];
            }
        }
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
        double windowSeconds = settings.measure().toNanos() / 1e9;
        long clientDropped = clientLog.qos0Dropped();
        clientLog.snapshot().forEach((message, count) -> {
            if (!message.endsWith(ClientLogWatch.QOS0_DROPPED)) {
                notes.add("the driver's MQTT client logged " + count + " × " + message);
            }
        });
        if (malformed > 0) {
            notes.add(malformed + " deliveries had a payload this driver did not send");
        }
        int disconnected = 0;
        for (LoadClient client : subscriberClients) {
            if (client.unexpectedDisconnect() != null) {
                disconnected++;
                notes.add("a subscriber was disconnected: " + client.unexpectedDisconnect());
            }
        }
        for (LoadClient client : publisherClients) {
            if (client.unexpectedDisconnect() != null) {
                disconnected++;
                notes.add("a publisher was disconnected: " + client.unexpectedDisconnect());
            }
        }
        if (unanswered > 0) {
            notes.add(unanswered + " publishes were still unanswered after the drain timeout of "
                    + settings.drainTimeout().toSeconds() + " s");
        }
        if (silent > 0) {
            notes.add(String.format(Locale.ROOT, "stalled: no delivery at all in %d of %d whole seconds of the window",
                    silent, lastSecond - firstSecond));
        }
        return new ScenarioResult(target.name(), scenario, settings, null, published, accepted, rejected, unanswered,
                acceptedInWindow / windowSeconds, deliveredInWindow / windowSeconds,
                expected, delivered, expected - delivered, Math.min(clientDropped, expected - delivered), duplicates,
                unacknowledgedDelivered,
                latency.count(), latency.percentileNanos(50), latency.percentileNanos(99), latency.maxNanos(),
                lostBySendTime[0], lostBySendTime[1], lostBySendTime[2],
                slowest, silent, rssEnd, rssPeak, brokerCpu, driverCpu, survived, disconnected, drainTime, drainEnd,
                notes);
    }

    private double cpuPercent(OptionalLong start, OptionalLong end) {
        if (start.isEmpty() || end.isEmpty()) {
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
