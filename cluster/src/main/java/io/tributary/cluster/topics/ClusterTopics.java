package io.tributary.cluster.topics;

import io.tributary.broker.ClusterConfig;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.utils.Utils;

/**
 * The names and settings of the cluster's topics: {@code <prefix>messages}, the shared log of messages (delete,
 * kept {@code message-retention}), {@code <prefix>sessions} (compacted), which holds each node's checkpoint, and
 * {@code <prefix>retained} (compacted, keyed by MQTT topic), the retained messages of the whole cluster.
 *
 * <p>Concurrency: immutable.
 */
public final class ClusterTopics {

    /** How long a compacted record stays uncleanable, and a tombstone readable (design §3.1). */
    static final String MIN_COMPACTION_LAG_MS = "60000";
    static final String DELETE_RETENTION_MS = "86400000";
    static final String SEGMENT_MS = "3600000";

    private final ClusterConfig config;

    public ClusterTopics(ClusterConfig config) {
        this.config = config;
    }

    public String messages() {
        return config.topicPrefix() + "messages";
    }

    public String sessions() {
        return config.topicPrefix() + "sessions";
    }

    public String retained() {
        return config.topicPrefix() + "retained";
    }

    public int retainedPartitions() {
        return config.retainedPartitions();
    }

    public int messagePartitions() {
        return config.messagePartitions();
    }

    public int sessionPartitions() {
        return config.sessionPartitions();
    }

    /** The sessions partition of a key: chosen here, so that every record about one key lands in one partition. */
    public int sessionsPartition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                % config.sessionPartitions();
    }

    /** The topic settings of the messages topic, with {@code minInsync} in-sync replicas. */
    Map<String, String> messagesSettings(int minInsync) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(config.messageRetention().toMillis()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsync));
    }

    /** The topic settings of the sessions and retained topics: compacted, with the same lags. */
    Map<String, String> compactedSettings(int minInsync) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, MIN_COMPACTION_LAG_MS,
                TopicConfig.DELETE_RETENTION_MS_CONFIG, DELETE_RETENTION_MS,
                TopicConfig.SEGMENT_MS_CONFIG, SEGMENT_MS,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsync));
    }

    /** The configured replication factor; 0 for 3, or the broker count when fewer. */
    int replicationFactor() {
        return config.replicationFactor();
    }
}
