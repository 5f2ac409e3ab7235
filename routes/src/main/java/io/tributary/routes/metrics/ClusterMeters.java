package io.tributary.routes.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.broker.ClusterObserver;
import io.tributary.broker.ClusterReaderStats;
import io.tributary.broker.InProcessBroker;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * This node's part in a cluster as meters ({@code tributary_cluster_*}, docs/cluster.md "Metrics"): the appends
 * to the cluster's topics and the log's deliveries, told to this {@link ClusterObserver}, and the log reader's
 * gauges, read from {@link InProcessBroker#clusterReaderStats()} when scraped. A broker that is not in a cluster
 * gets none of them.
 *
 * <p>Concurrency: observed on the Kafka producer's and the log reader's threads at once; Micrometer's meters are
 * thread-safe.
 */
final class ClusterMeters implements ClusterObserver {

    private final Map<AppendKind, Counter> appends = new EnumMap<>(AppendKind.class);
    private final Map<AppendKind, Counter> failures = new EnumMap<>(AppendKind.class);
    private final Timer appendLatency;
    private final Timer deliveryLatency;
    private final Counter skipped;

    private ClusterMeters(MeterRegistry registry) {
        for (AppendKind kind : AppendKind.values()) {
            appends.put(kind, Counter.builder("tributary.cluster.appends")
                    .description("records this node appended to the cluster's topics and Kafka acknowledged, by kind: "
                            + "messages for other nodes (publish), checkpoints (checkpoint), retained changes "
                            + "(retained), sessions' subscriptions and ends (state)")
                    .tag("kind", kind.tag())
                    .register(registry));
            failures.put(kind, Counter.builder("tributary.cluster.append.failures")
                    .description("records this node could not append to the cluster's topics, by kind")
                    .tag("kind", kind.tag())
                    .register(registry));
        }
        appendLatency = Timer.builder("tributary.cluster.append")
                .description("from a record's send to Kafka's acknowledgement (every in-sync replica has it)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
        deliveryLatency = Timer.builder("tributary.cluster.delivery")
                .description("from a message's arrival on its origin node to its handing to this node's sessions, "
                        + "read from the cluster's log: the cross-node latency (millisecond resolution, the nodes' "
                        + "clock skew included)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
        skipped = Counter.builder("tributary.cluster.skipped")
                .description("messages read from the cluster's log that were for other nodes only, and skipped")
                .register(registry);
    }

    /** Registers the cluster's meters and makes them the broker's cluster observer; none without a cluster. */
    static void bind(MeterRegistry registry, InProcessBroker broker) {
        if (broker.clusterReaderStats().isEmpty()) {
            return;
        }
        ClusterMeters meters = new ClusterMeters(registry);
        if (!broker.observeCluster(meters)) {
            return;
        }
        String topic = broker.clusterReaderStats().get().messagesTopic();
        gauge(broker, "tributary.cluster.reader.lag", "records",
                "records of the messages topic not yet read by this node, summed over its partitions (as of the "
                        + "last checkpoint interval)",
                stats -> stats.lagRecords() < 0 ? Double.NaN : stats.lagRecords())
                .tag("topic", topic).register(registry);
        gauge(broker, "tributary.cluster.pending.deliveries", null,
                "messages of the log handed to this node's sessions whose delivery has not completed (the reader "
                        + "waits at 10,000)",
                ClusterReaderStats::pendingDeliveries).register(registry);
        gauge(broker, "tributary.cluster.reader.paused", null,
                "1 while a session with a full queue pauses this node's log reader, else 0",
                stats -> stats.paused() ? 1 : 0).register(registry);
        viewGauges(registry, broker);
    }

    private static void viewGauges(MeterRegistry registry, InProcessBroker broker) {
        Gauge.builder("tributary.cluster.nodes", broker,
                        b -> b.clusterView().map(view -> (double) view.liveNodes().size()).orElse(Double.NaN))
                .description("live nodes of the cluster as this node sees them (a checkpoint within "
                        + "cluster.failure-timeout), this node included")
                .register(registry);
        Gauge.builder("tributary.cluster.table.sessions", broker,
                        b -> b.clusterView().map(view -> (double) view.clients().size()).orElse(Double.NaN))
                .description("sessions in the cluster's session table, of every node")
                .register(registry);
    }

    private static Gauge.Builder<InProcessBroker> gauge(InProcessBroker broker, String name,
                                                        String unit, String description,
                                                        ToDoubleFunction<ClusterReaderStats> value) {
        return Gauge.builder(name, broker, b -> b.clusterReaderStats().map(value::applyAsDouble).orElse(Double.NaN))
                .description(description)
                .baseUnit(unit);
    }

    @Override
    public void appended(AppendKind kind, long nanos) {
        appends.get(kind).increment();
        appendLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void appendFailed(AppendKind kind) {
        failures.get(kind).increment();
    }

    @Override
    public void delivered(long millis) {
        deliveryLatency.record(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void skipped() {
        skipped.increment();
    }
}
