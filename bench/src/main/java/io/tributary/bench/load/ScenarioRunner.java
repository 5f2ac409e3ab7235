package io.tributary.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs one {@link Scenario} against one broker: connects the subscribers, then the publishers, publishes through the
 * warm-up and the measured window, drains, and counts what arrived against what the broker accepted.
 */
public final class ScenarioRunner {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

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
        RssSampler rss = new RssSampler();
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
            return measure(target, scenario, subscriberClients, publisherClients, probes, rss);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return ScenarioResult.failed(target.name(), scenario, settings, "clients could not connect: " + e,
                    target.isAlive(), List.of());
        } finally {
            rss.close();
            publisherClients.forEach(LoadClient::close);
            subscriberClients.forEach(LoadClient::close);
        }
    }

    private ScenarioResult measure(Target target, Scenario scenario, List<LoadClient> subscriberClients,
                                   List<LoadClient> publisherClients, AtomicReferenceArray<SubscriberProbe> probeSlots,
                                   RssSampler rss) throws Exception {
        rss.start(target::residentBytes);

        RunClock clock = LoadTimeline.clock(settings.warmUp(), settings.measure());
        int seconds = LoadTimeline.seconds(settings.warmUp(), settings.measure(), settings.drainTimeout());
        SubscriberProbe[] probes = new SubscriberProbe[probeSlots.length()];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = new SubscriberProbe(scenario.publishers(), clock, seconds);
            probeSlots.set(i, probes[i]);
        }
        List<Publisher> list = new ArrayList<>();
        for (int i = 0; i < scenario.publishers(); i++) {
            int index = i;
            list.add(new Publisher(i, publisherClients.get(i), scenario.topicOf(i), scenario.qos(), settings.inFlight(),
                    scenario.ratePerPublisher(settings), clock,
                    (sequence, sentNanos) -> Payload.encode(settings.payloadBytes(), sentNanos, index, sequence)));
        }
        Publishers publishers = new Publishers(list);
        WindowMeter meter = new WindowMeter().add("broker", target::cpuNanos).addDriver();
        LoadTimeline.Ended ended = LoadTimeline.run(clock, publishers, meter, settings.drainTimeout());
        long unanswered = ended.unanswered();
        long expectedTotal = publishers.accepted() * probes.length;
        // QoS 1 gets longer: a broker may hold acknowledged messages back for a while and still deliver them.
        long quietNanos = scenario.qos() == 0 ? 1_000_000_000L : 5_000_000_000L;
        DrainEnd drainEnd = DrainEnd.await(ended.drainStartNanos(), ended.drainDeadlineNanos(), quietNanos,
                expectedTotal, target::isAlive,
                () -> Arrays.stream(probes).mapToLong(SubscriberProbe::unique).sum(),
                () -> Arrays.stream(probes).mapToLong(SubscriberProbe::lastDeliveryNanos).reduce(0, Math::max));
        Duration drainTime = ended.drainTime();
        rss.close();
        long rssEnd = target.residentBytes().orElse(-1);
        boolean survived = target.isAlive();

        long windowNanos = settings.measure().toNanos();
        return tally(target, scenario, publishers, probes, clock, unanswered, drainTime, drainEnd, rssEnd,
                Math.max(rss.peak(), rssEnd), meter.cpuPercent("broker", windowNanos),
                meter.cpuPercent("driver", windowNanos), survived, subscriberClients,
                publisherClients);
    }

    private ScenarioResult tally(Target target, Scenario scenario, Publishers publishers,
                                 SubscriberProbe[] probes, RunClock clock, long unanswered, Duration drainTime,
                                 DrainEnd drainEnd, long rssEnd, long rssPeak, double brokerCpu, double driverCpu,
                                 boolean survived, List<LoadClient> subscriberClients,
                                 List<LoadClient> publisherClients) {
        List<String> notes = new ArrayList<>(publishers.firstFailures("rejected"));
        long accepted = publishers.accepted();
        List<Publisher> all = publishers.all();
        List<BitSet> acknowledged = all.stream().map(Publisher::accepted).toList();
        long expected = accepted * probes.length;
        Arrivals arrivals = Arrivals.NONE;
        long duplicates = 0;
        long deliveredInWindow = 0;
        long malformed = 0;
        LatencyHistogram latency = new LatencyHistogram();
        long[] perSecond = new long[probes[0].perSecond().length];
        for (SubscriberProbe probe : probes) {
            for (int p = 0; p < all.size(); p++) {
                arrivals = arrivals.plus(Arrivals.of(all.get(p), acknowledged.get(p), probe.received(p)));
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
        long delivered = arrivals.arrived();
        WindowSeconds window = WindowSeconds.of(perSecond, clock);
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
        List<String> disconnections = new ArrayList<>(LoadClient.disconnections(subscriberClients, "subscriber"));
        disconnections.addAll(LoadClient.disconnections(publisherClients, "publisher"));
        notes.addAll(disconnections);
        if (unanswered > 0) {
            notes.add(unanswered + " publishes were still unanswered after the drain timeout of "
                    + settings.drainTimeout().toSeconds() + " s");
        }
        if (window.silent() > 0) {
            notes.add(String.format(Locale.ROOT, "stalled: no delivery at all in %d of %d whole seconds of the window",
                    window.silent(), window.whole()));
        }
        return new ScenarioResult(target.name(), scenario, settings, null, publishers.published(), accepted,
                publishers.rejected(), unanswered,
                publishers.acceptedInWindow() / windowSeconds, deliveredInWindow / windowSeconds,
                expected, delivered, expected - delivered, Math.min(clientDropped, expected - delivered), duplicates,
                arrivals.unacknowledgedArrived(),
                latency.count(), latency.percentileNanos(50), latency.percentileNanos(99), latency.maxNanos(),
                arrivals.missingSentInWarmUp(), arrivals.missingSentInWindow(), arrivals.missingSentAfter(),
                window.slowest(), window.silent(), rssEnd, rssPeak, brokerCpu, driverCpu, survived,
                disconnections.size(), drainTime, drainEnd, notes);
    }
}
