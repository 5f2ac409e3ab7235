package io.tributary.cluster;

import io.tributary.broker.ClusterConfig;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka client properties of each of a node's clients (design §3.3): the connection's own (bootstrap servers,
 * TLS, SASL) under the settings the cluster needs.
 *
 * <p>Concurrency: immutable; each call returns new properties.
 */
public final class ClusterClients {
    private final ClusterConfig config;

    public ClusterClients(ClusterConfig config) {
        this.config = config;
    }

    private Properties base(String role) {
        Properties properties = new Properties();
        properties.putAll(config.kafkaProperties());
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, config.topicPrefix() + role + "-" + config.node());
        return properties;
    }

    /** For creating and checking the topics. */
    public Properties admin() {
        return base("admin");
    }

    /** The one producer of a node: every append and checkpoint, acknowledged by every in-sync replica. */
    public Properties producer() {
        Properties properties = base("node");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return properties;
    }

    /** The follower of the retained topic: assigned every partition, no group and no commits. */
    public Properties retainedReader() {
        Properties properties = reader();
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, config.topicPrefix() + "retained-" + config.node());
        return properties;
    }

    /** The follower of the sessions table: assigned every partition, no group and no commits. */
    public Properties sessionsReader() {
        Properties properties = reader();
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, config.topicPrefix() + "sessions-" + config.node());
        return properties;
    }

    /**
     * The log reader: assigned every partition, no group and no commits (positions live in the node's
     * checkpoint), committed records only.
     */
    public Properties reader() {
        Properties properties = base("reader");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Kafka answers a fetch as soon as one byte is there (fetch.min.bytes 1), so a long wait costs no latency;
        // it only bounds how often an idle reader asks. At 5 ms each idle node's three readers kept it at 40% of
        // a core and Kafka at 40-80% with no client (bench/run.sh cluster, "idle").
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        // A checkpoint older than the log's retention: what is left is read, and the gap is logged.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return properties;
    }
}
