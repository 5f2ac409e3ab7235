package io.tributary.bench.cluster;

import io.tributary.bench.load.AckStats;
import io.tributary.bench.load.Arrivals;
import io.tributary.bench.load.DrainEnd;
import io.tributary.bench.load.LatencyHistogram;
import io.tributary.bench.load.LoadClient;
import io.tributary.bench.load.LoadSettings;
import io.tributary.bench.load.LoadTimeline;
import io.tributary.bench.load.Payload;
import io.tributary.bench.load.Publisher;
import io.tributary.bench.load.Publishers;
import io.tributary.bench.load.RunClock;
import io.tributary.bench.load.SubscriberProbe;
import io.tributary.bench.load.WindowMeter;
import io.tributary.bench.server.ProcStats;
import io.tributary.bench.server.RunningBroker;
import io.tributary.testsupport.kafka.KafkaServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Runs one scenario at one rate against one started system: connects the subscribers (each to its node) and the
 * publishers (node 1), waits until a probe message reached every subscriber (or gives up, and says so), publishes
 * through the warm-up and the measured window, drains, and counts what arrived where against what was acknowledged.
 * Used by the driver's main thread; the clients call back on their I/O threads.
 */
public final class ClusterScenarioRunner {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The meter's name for Kafka's CPU. */
    static final String KAFKA = "Kafka";

    private final ClusterSettings settings;
    private final LoadSettings clients;
    private final TopicLayout layout;

    public ClusterScenarioRunner(ClusterSettings settings) {
        this.settings = settings;
        this.clients = settings.clientSettings();
        this.layout = new TopicLayout(settings.subscribers());
    }

    public ClusterRunResult run(ClusterSystem system, RunningCluster cluster, KafkaServer kafka,
                                MessagesTopic topic, ClusterScenario scenario, int rate) throws InterruptedException {
        String nonce = Long.toString(System.nanoTime() & 0xFFFFFF, 36);
        List<ClusterNode> nodes = cluster.nodes();
        List<LoadClient> subscriberClients = new ArrayList<>();
        List<LoadClient> publisherClients = new ArrayList<>();
        List<ClusterSubscriber> subscribers = new ArrayList<>();
        try {
            for (int j = 0; j < settings.subscribers(); j++) {
                int node = scenario.nodeOf(j, nodes.size());
                ClusterSubscriber subscriber = new ClusterSubscriber(j, node);
                LoadClient client = LoadClient.create(clients, "cluster-" + nonce + "-sub-" + j, RunningBroker.HOST,
                        nodes.get(node).mqttPort());
                subscriberClients.add(client);
                client.connect(CONNECT_TIMEOUT);
                client.subscribe(layout.filterOf(j), scenario.qos(), subscriber, CONNECT_TIMEOUT);
                subscribers.add(subscriber);
            }
            for (int i = 0; i < settings.publishers(); i++) {
                LoadClient client = LoadClient.create(clients, "cluster-" + nonce + "-pub-" + i, RunningBroker.HOST,
                        nodes.get(0).mqttPort());
                publisherClients.add(client);
                client.connect(CONNECT_TIMEOUT);
            }
            List<String> notes = new ArrayList<>();
            String unprobed = awaitProbes(publisherClients.get(0), subscribers, nodes, cluster);
            if (unprobed != null) {
                notes.add(unprobed);
            }
            return measure(system, cluster, kafka, topic, scenario, rate, subscribers, publisherClients, notes);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            List<String> notes = new ArrayList<>(cluster.deaths());
            return ClusterRunResult.failed(system, scenario, rate, "the run could not start: " + e, notes);
        } finally {
            publisherClients.forEach(LoadClient::close);
            subscriberClients.forEach(LoadClient::close);
        }
    }

    /**
     * Publishes a QoS 1 probe message from node 1 to every subscriber that has not had one yet, every 500 ms, until
     * each has had one or the probe timeout passes: a subscription on another node may take a moment to count.
     * Returns null when every subscriber got a probe, else a note naming those that did not, per node.
     */
    private String awaitProbes(LoadClient prober, List<ClusterSubscriber> subscribers, List<ClusterNode> nodes,
                               RunningCluster cluster) throws InterruptedException {
        long deadline = System.nanoTime() + settings.probeTimeout().toNanos();
        int sequence = 0;
        while (System.nanoTime() < deadline && cluster.isAlive()) {
            List<ClusterSubscriber> waiting = subscribers.stream().filter(s -> !s.probed()).toList();
            if (waiting.isEmpty()) {
                return null;
            }
            for (ClusterSubscriber subscriber : waiting) {
                prober.publish(layout.probeTopicOf(subscriber.index()), 1,
                        Payload.encode(settings.payloadBytes(), System.nanoTime(), ClusterSubscriber.PROBE,
                                sequence++));
            }
            long wait = Math.min(deadline, System.nanoTime() + 500_000_000L);
            while (System.nanoTime() < wait && subscribers.stream().anyMatch(s -> !s.probed())) {
                Thread.sleep(20);
            }
        }
        int[] missing = new int[nodes.size()];
        subscribers.stream().filter(s -> !s.probed()).forEach(s -> missing[s.node()]++);
        List<String> parts = new ArrayList<>();
        for (int n = 0; n < missing.length; n++) {
            if (missing[n] > 0) {
                parts.add(missing[n] + " on " + nodes.get(n).name());
            }
        }
        return parts.isEmpty() ? null : "no probe message published on node-1 reached " + String.join(", ", parts)
                + " of the subscribers within " + settings.probeTimeout().toSeconds() + " s; measured anyway"
                + (missing[0] == 0 ? " (where only subscribers on other nodes miss it, this build does not carry "
                + "device publishes across nodes)" : "");
    }

    private ClusterRunResult measure(ClusterSystem system, RunningCluster cluster, KafkaServer kafka,
                                     MessagesTopic topic, ClusterScenario scenario, int rate,
                                     List<ClusterSubscriber> subscribers, List<LoadClient> publisherClients,
                                     List<String> notes) throws Exception {
        List<ClusterNode> nodes = cluster.nodes();
        RunClock clock = LoadTimeline.clock(settings.warmUp(), settings.measure());
        int seconds = LoadTimeline.seconds(settings.warmUp(), settings.measure(), settings.drainTimeout());
        for (ClusterSubscriber subscriber : subscribers) {
            subscriber.measureWith(new SubscriberProbe(settings.publishers(), clock, seconds));
        }
        AckStats acks = new AckStats(clock, seconds);
        List<Publisher> list = new ArrayList<>();
        for (int i = 0; i < settings.publishers(); i++) {
            int index = i;
            list.add(new Publisher(i, publisherClients.get(i), sequence -> layout.topicOf(index, sequence),
                    scenario.qos(), settings.inFlight(), settings.ratePerPublisher(rate), clock,
                    (sequence, sentNanos) -> Payload.encode(settings.payloadBytes(), sentNanos, index, sequence),
                    acks));
        }
        Publishers publishers = new Publishers(list);
        WindowMeter meter = new WindowMeter();
        for (ClusterNode node : nodes) {
            meter.add(node.name(), () -> node.isAlive() ? ProcStats.cpuNanos(node.pid()) : OptionalLong.empty());
        }
        meter.add(KAFKA, () -> kafka.isRunning() ? ProcStats.cpuNanos(kafka.pid()) : OptionalLong.empty())
                .addDriver();
        MessagesTopic.Size before = system.clustered() ? topic.read() : MessagesTopic.Size.NONE;

        LoadTimeline.Ended ended = LoadTimeline.run(clock, publishers, meter, settings.drainTimeout());
        Map<String, Long> rss = new LinkedHashMap<>();
        nodes.forEach(node -> rss.put(node.name(), ProcStats.residentBytes(node.pid()).orElse(-1)));
        long quietNanos = scenario.qos() == 0 ? 1_000_000_000L : 5_000_000_000L;
        DrainEnd drainEnd = DrainEnd.await(ended.drainStartNanos(), ended.drainDeadlineNanos(), quietNanos,
                publishers.accepted(), cluster::isAlive,
                () -> subscribers.stream().mapToLong(s -> s.probe().unique()).sum(),
                () -> subscribers.stream().mapToLong(s -> s.probe().lastDeliveryNanos()).max().orElse(0));
        Duration drainTime = ended.drainTime();
        MessagesTopic.Size written = system.clustered() ? topic.read().minus(before) : MessagesTopic.Size.NONE;

        if (ended.unanswered() > 0) {
            notes.add(ended.unanswered() + " publishes were still unanswered after the drain timeout of "
                    + settings.drainTimeout().toSeconds() + " s");
        }
        notes.addAll(publishers.firstFailures("failed"));
        notes.addAll(cluster.deaths());
        return tally(system, scenario, rate, nodes, subscribers, publishers, acks, meter, rss, written, drainEnd,
                drainTime, notes);
    }

    private ClusterRunResult tally(ClusterSystem system, ClusterScenario scenario, int rate, List<ClusterNode> nodes,
                                   List<ClusterSubscriber> subscribers, Publishers publishers, AckStats acks,
                                   WindowMeter meter, Map<String, Long> rss, MessagesTopic.Size written,
                                   DrainEnd drainEnd, Duration drainTime, List<String> notes) {
        int publisherCount = settings.publishers();
        // Each message has one subscriber: what arrived is the union of what every subscriber got.
        BitSet[] received = new BitSet[publisherCount];
        long[] expectedByNode = new long[nodes.size()];
        long[] deliveredByNode = new long[nodes.size()];
        long duplicates = 0;
        long malformed = 0;
        long deliveredInWindow = 0;
        long arrivals = 0;
        LatencyHistogram all = new LatencyHistogram();
        LatencyHistogram crossNode = new LatencyHistogram();
        for (int p = 0; p < publisherCount; p++) {
            received[p] = new BitSet();
        }
        for (ClusterSubscriber subscriber : subscribers) {
            SubscriberProbe probe = subscriber.probe();
            for (int p = 0; p < publisherCount; p++) {
                BitSet got = probe.received(p);
                arrivals += got.cardinality();
                received[p].or(got);
            }
            duplicates += probe.duplicates();
            malformed += probe.malformed();
            deliveredInWindow += probe.deliveredInWindow();
            LatencyHistogram latency = probe.latency();
            all.add(latency);
            if (subscriber.node() != 0) {
                crossNode.add(latency);
            }
        }
        Arrivals arrived = publishers.arrivals(p -> received[p]);
        long distinct = 0;
        for (BitSet bits : received) {
            distinct += bits.cardinality();
        }
        duplicates += arrivals - distinct; // one message at two subscribers: the layout gives it to one only
        for (Publisher publisher : publishers.all()) {
            BitSet acknowledged = publisher.accepted();
            BitSet got = received[publisher.index()];
            for (int s = acknowledged.nextSetBit(0); s >= 0; s = acknowledged.nextSetBit(s + 1)) {
                int node = subscribers.get(layout.subscriberOf(publisher.index(), s)).node();
                expectedByNode[node]++;
                if (got.get(s)) {
                    deliveredByNode[node]++;
                }
            }
        }
        List<ClusterRunResult.NodeDelivery> byNode = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            byNode.add(new ClusterRunResult.NodeDelivery(nodes.get(n).name(), expectedByNode[n], deliveredByNode[n]));
        }
        if (malformed > 0) {
            notes.add(malformed + " deliveries had a payload this driver did not send");
        }
        if (arrived.unacknowledgedArrived() > 0) {
            notes.add(arrived.unacknowledgedArrived() + " messages arrived whose publish was never acknowledged");
        }

        long windowNanos = settings.measure().toNanos();
        double windowSeconds = windowNanos / 1e9;
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (ClusterNode node : nodes) {
            cpu.put(node.name(), meter.cpuPercent(node.name(), windowNanos));
        }
        cpu.put(KAFKA, meter.cpuPercent(KAFKA, windowNanos));
        double nodesCpu = sum(cpu.values().stream().limit(nodes.size()).toList());
        double allCpu = sum(cpu.values());
        long accepted = publishers.accepted();
        return new ClusterRunResult(system, scenario, rate, null, accepted,
                publishers.acceptedInWindow() / windowSeconds, deliveredInWindow / windowSeconds, accepted,
                arrived.arrived(), accepted - arrived.arrived(), duplicates, byNode, LatencyPercentiles.of(all),
                LatencyPercentiles.of(crossNode), acks.latency(), cpu, meter.cpuPercent("driver", windowNanos),
                perDelivered(allCpu, deliveredInWindow), perDelivered(nodesCpu, deliveredInWindow), rss, written, drainEnd, drainTime, notes);
    }

    /** The sum of CPU percentages, or -1 when one of them is unknown. */
    private static double sum(Collection<Double> percents) {
        double sum = 0;
        for (double percent : percents) {
            if (percent < 0) {
                return -1;
            }
            sum += percent;
        }
        return sum;
    }

    /** CPU microseconds per message delivered within the window, from a CPU percentage over it; -1 if unknown. */
    private double perDelivered(double cpuPercent, long deliveredInWindow) {
        return cpuPercent < 0 || deliveredInWindow == 0 ? -1
                : cpuPercent / 100 * settings.measure().toNanos() / 1e3 / deliveredInWindow;
    }

    /** The load in words, for the report. */
    public String describe() {
        return String.format(Locale.ROOT, "%d publishers on node 1 and %d subscribers (MQTT 3.1.1, HiveMQ MQTT client, "
                        + "clean sessions), publishing and subscribing at the scenario's QoS, paced at the rate offered "
                        + "(split evenly over the publishers), at most %d QoS 1 publishes without PUBACK per "
                        + "publisher; %d-byte payloads carrying the send time, the publisher and a sequence number; "
                        + "%s; %d s warm-up, then %d s measured; drain up to %d s after publishing stops (or 5 s "
                        + "without a delivery at QoS 1, 1 s at QoS 0); the driver's MQTT clients share %d I/O "
                        + "thread(s).",
                settings.publishers(), settings.subscribers(), settings.inFlight(), settings.payloadBytes(),
                layout.describe(), settings.warmUp().toSeconds(), settings.measure().toSeconds(),
                settings.drainTimeout().toSeconds(), settings.clientIoThreads());
    }
}
