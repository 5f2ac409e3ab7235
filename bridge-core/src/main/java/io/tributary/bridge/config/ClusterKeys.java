package io.tributary.bridge.config;

import java.time.Duration;
import java.util.List;

/**
 * The declaration of every key of the {@code cluster} section (several Tributary nodes as one broker, through one
 * Kafka): read by {@link ClusterReader}, listed in errors and generated into {@code docs/configuration.md}.
 */
public final class ClusterKeys {

    public static final ConfigKey<String> KAFKA = ConfigKey.withoutFixedDefault("kafka", ValueTypes.name(),
            ConfigKey.REQUIRED,
            "The `connections.kafka` entry that carries the cluster's messages and state. It must have "
                    + "`bootstrap-servers`: an `embedded` Kafka is refused, since each node would have its own.");

    public static final ConfigKey<String> NODE = ConfigKey.withoutFixedDefault("node", ValueTypes.clusterName(),
            "the host name",
            "This node's name, unique in the cluster. The environment variable `TRIBUTARY_CLUSTER_NODE` sets it, so "
                    + "that every node can run the same file.");

    public static final ConfigKey<String> TOPIC_PREFIX = ConfigKey.of("topic-prefix", ValueTypes.clusterName(),
            "tributary.",
            "The prefix of the cluster's Kafka topics (`<prefix>messages`, `<prefix>sessions`, `<prefix>retained`). Two clusters on one "
                    + "Kafka need different prefixes.");

    public static final ConfigKey<Integer> MESSAGE_PARTITIONS = ConfigKey.of("messages", ValueTypes.integer(1, 10_000),
            24,
            "The partitions of the messages topic, used when the topic is created. A node that finds another "
                    + "count does not start.");

    public static final ConfigKey<Integer> SESSION_PARTITIONS = ConfigKey.of("sessions", ValueTypes.integer(1, 10_000),
            12,
            "The partitions of the sessions topic, used when the topic is created. A node that finds another "
                    + "count does not start.");

    public static final ConfigKey<Integer> RETAINED_PARTITIONS = ConfigKey.of("retained",
            ValueTypes.integer(1, 10_000), 6,
            "The partitions of the retained topic (compacted, keyed by MQTT topic), used when the topic is created. "
                    + "A node that finds another count does not start.");

    /** The {@code partitions} mapping. */
    public static final ConfigSection PARTITIONS_SECTION = new ConfigSection(
            "The partition counts of the cluster's topics. They are fixed once the topics exist.",
            List.of(MESSAGE_PARTITIONS, SESSION_PARTITIONS, RETAINED_PARTITIONS));

    public static final ConfigKey<Void> PARTITIONS = ConfigKey.mappingOfDefaults("partitions", PARTITIONS_SECTION,
            "The partition counts of the cluster's topics, with the keys of `cluster.partitions`.");

    public static final ConfigKey<Integer> REPLICATION_FACTOR = ConfigKey.withoutFixedDefault("replication-factor",
            ValueTypes.integer(1, 32), "3, or the number of Kafka brokers when fewer",
            "The replication factor of the cluster's topics, used when they are created.");

    public static final ConfigKey<Duration> MESSAGE_RETENTION = ConfigKey.of("message-retention",
            ValueTypes.duration(), Duration.ofDays(7),
            "How long the messages topic keeps a record, used when it is created: how long a node may be away and "
                    + "still deliver what was published meanwhile.");

    /** The longest {@link #CHECKPOINT_INTERVAL}. */
    static final Duration MAX_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    public static final ConfigKey<Duration> CHECKPOINT_INTERVAL = ConfigKey.of("checkpoint-interval",
            ValueTypes.durationAtLeast(Duration.ofMillis(10)), Duration.ofMillis(200),
            "How often a node writes how far it delivered the messages topic (10ms to 10s). After a `kill -9` the "
                    + "node delivers again what followed its last checkpoint: a longer interval means more duplicates.");

    public static final ConfigKey<Duration> FAILURE_TIMEOUT = ConfigKey.of("failure-timeout",
            ValueTypes.durationAtLeast(Duration.ofSeconds(3)), Duration.ofSeconds(10),
            "How long a node may go without writing its checkpoint (it writes one at least every second) before the "
                    + "others stop counting it as live. A SUBACK waits until every live node knows the new "
                    + "subscription, so after a node died SUBACKs elsewhere wait up to this long; a SUBACK that cannot "
                    + "complete within twice this (Kafka away) refuses its filters.");

    /** The {@code cluster} mapping. */
    public static final ConfigSection CLUSTER = new ConfigSection(
            "Several Tributary nodes with the same file act as one broker through one Kafka (see docs/cluster.md). "
                    + "In this version a message published on any node (a device, a will, a Kafka to MQTT route, the "
                    + "HTTP API) reaches the subscribers on every node, and retained messages are the cluster's; "
                    + "sessions stay on their node.",
            List.of(KAFKA, NODE, TOPIC_PREFIX, PARTITIONS, REPLICATION_FACTOR, MESSAGE_RETENTION, CHECKPOINT_INTERVAL,
                    FAILURE_TIMEOUT));

    private ClusterKeys() {
    }
}
