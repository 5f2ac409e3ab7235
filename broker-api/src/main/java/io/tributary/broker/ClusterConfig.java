package io.tributary.broker;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How this node joins a cluster of Tributary nodes that share one Kafka: the {@code cluster} section of the
 * configuration, with the Kafka client properties of the connection it names.
 *
 * @param kafkaConnection the name of the {@code connections.kafka} entry, for messages
 * @param node this node's name, unique in the cluster
 * @param topicPrefix the prefix of the cluster's topics
 * @param messagePartitions the partitions of the messages topic, when it is created
 * @param sessionPartitions the partitions of the sessions topic, when it is created
 * @param retainedPartitions the partitions of the retained topic, when it is created
 * @param replicationFactor the replication factor of created topics; 0 for 3, or the broker count when fewer
 * @param messageRetention how long the messages topic keeps a record
 * @param checkpointInterval how often this node writes how far it delivered the log
 * @param failureTimeout how long a node's checkpoint may be silent before the others stop counting it as live
 * @param kafkaProperties the Kafka client properties of the connection: bootstrap servers, TLS, SASL
 */
public record ClusterConfig(String kafkaConnection, String node, String topicPrefix, int messagePartitions,
                            int sessionPartitions, int retainedPartitions, int replicationFactor, Duration messageRetention,
                            Duration checkpointInterval, Duration failureTimeout, Map<String, String> kafkaProperties) {

    /** The topic prefix when none is configured. */
    public static final String DEFAULT_TOPIC_PREFIX = "tributary.";

    public ClusterConfig {
        Objects.requireNonNull(kafkaConnection, "kafkaConnection");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        Objects.requireNonNull(messageRetention, "messageRetention");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(failureTimeout, "failureTimeout");
        kafkaProperties = Map.copyOf(kafkaProperties);
        if (messagePartitions < 1 || sessionPartitions < 1 || retainedPartitions < 1 || replicationFactor < 0) {
            throw new IllegalArgumentException("partition counts must be positive and the replication factor "
                    + "not negative");
        }
    }

    /** The defaults of every setting, for the node {@code node} on a Kafka reached with {@code kafkaProperties}. */
    public static ClusterConfig defaults(String kafkaConnection, String node, Map<String, String> kafkaProperties) {
        return new ClusterConfig(kafkaConnection, node, DEFAULT_TOPIC_PREFIX, 24, 12, 6, 0, Duration.ofDays(7),
                Duration.ofMillis(200), Duration.ofSeconds(10), kafkaProperties);
    }
}
