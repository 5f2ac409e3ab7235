package io.tributary.bridge.config;

import io.tributary.broker.ClusterConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads the {@code cluster} section into a {@link ClusterConfig}, with the rules across keys that its declaration
 * cannot say: {@code kafka} names a declared Kafka connection that is not embedded; the node's name defaults to a
 * host name that must be a valid name; and no route buffers on this node's disk ({@code ack: buffer}), which a
 * killed node would keep to itself.
 */
final class ClusterReader {

    private final YamlNodeReader reader;

    ClusterReader(YamlNodeReader reader) {
        this.reader = reader;
    }

    /**
     * The cluster of {@code top}: empty inside when the file has none; empty outside, and reported, when invalid.
     *
     * @param root the file's raw tree, where routes are checked for {@code ack: buffer}
     */
    Optional<Optional<ClusterConfig>> read(YamlMapping top, ConnectionsReader.ReadConnections connections,
                                           Node root) {
        if (!top.has(ConfigSchema.CLUSTER)) {
            return Optional.of(Optional.empty());
        }
        refuseBufferedRoutes(root);
        return reader.optional(top, ConfigSchema.CLUSTER, (node, path) -> reader.section(node, path,
                ClusterKeys.CLUSTER, values -> {
                    Optional<KafkaConnectionSettings> kafka = kafka(values, connections);
                    Optional<String> node1 = values.has(ClusterKeys.NODE) ? values.optional(ClusterKeys.NODE)
                            : hostName(values);
                    Optional<int[]> partitions = values.node(ClusterKeys.PARTITIONS)
                            .map(n -> reader.section(n, values.pathOf(ClusterKeys.PARTITIONS),
                                    ClusterKeys.PARTITIONS_SECTION, p -> () -> new int[] {
                                            p.get(ClusterKeys.MESSAGE_PARTITIONS), p.get(ClusterKeys.SESSION_PARTITIONS),
                                            p.get(ClusterKeys.RETAINED_PARTITIONS)}))
                            .orElse(Optional.of(new int[] {ClusterKeys.MESSAGE_PARTITIONS.defaultValue(),
                                    ClusterKeys.SESSION_PARTITIONS.defaultValue(),
                                    ClusterKeys.RETAINED_PARTITIONS.defaultValue()}));
                    Optional<Duration> interval = values.optional(ClusterKeys.CHECKPOINT_INTERVAL);
                    if (interval.isPresent() && interval.get().compareTo(ClusterKeys.MAX_CHECKPOINT_INTERVAL) > 0) {
                        values.report(ClusterKeys.CHECKPOINT_INTERVAL, "at most "
                                + ClusterKeys.CHECKPOINT_INTERVAL.type().format(ClusterKeys.MAX_CHECKPOINT_INTERVAL)
                                + ": a longer one makes a killed node deliver too much again");
                    }
                    return () -> new ClusterConfig(kafka.orElseThrow().name(), node1.orElseThrow(),
                            values.get(ClusterKeys.TOPIC_PREFIX), partitions.orElseThrow()[0],
                            partitions.orElseThrow()[1], partitions.orElseThrow()[2], values.optional(ClusterKeys.REPLICATION_FACTOR).orElse(0),
                            values.get(ClusterKeys.MESSAGE_RETENTION), interval.orElseThrow(),
                            values.get(ClusterKeys.FAILURE_TIMEOUT),
                            clientProperties(kafka.orElseThrow()));
                })).map(Optional::of);
    }

    /** The connection {@code kafka} names; reported when unknown or embedded. */
    private static Optional<KafkaConnectionSettings> kafka(SectionValues values,
                                                           ConnectionsReader.ReadConnections connections) {
        Optional<String> name = new ConnectionReferences(connections.kafkaNames(), connections.jdbcNames(),
                connections.mqttNames()).declared(values, ClusterKeys.KAFKA);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Optional<KafkaConnectionSettings> connection = connections.settings().flatMap(c -> c.kafka(name.get()));
        if (connection.isEmpty()) {
            // Declared but not valid: its own errors say why; this one keeps the section from being built.
            values.report(ClusterKeys.KAFKA, "the connection '" + name.get() + "' is not valid (see its errors)");
        } else if (connection.get().embedded()) {
            values.report(ClusterKeys.KAFKA, "the connection '" + name.get() + "' is an embedded Kafka, which "
                    + "each node would run for itself; give it bootstrap-servers of a Kafka that every node reaches");
            return Optional.empty();
        }
        return connection;
    }

    /** This machine's host name as the node's name; reported when it is not a valid name. */
    private static Optional<String> hostName(SectionValues values) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            values.report("cannot read this machine's host name for cluster.node (" + e.getMessage()
                    + "); set cluster.node");
            return Optional.empty();
        }
        if (!host.matches(ValueTypes.CLUSTER_NAME)) {
            values.report("the host name '" + host + "' is not a valid node name (letters, digits, '.', '_' or '-', "
                    + "at most 100 characters); set cluster.node");
            return Optional.empty();
        }
        return Optional.of(host);
    }

    /** The Kafka client properties of {@code connection}: its own, and where the cluster is. */
    private static Map<String, String> clientProperties(KafkaConnectionSettings connection) {
        Map<String, String> properties = new HashMap<>(connection.properties());
        properties.put("bootstrap.servers", connection.bootstrapServers());
        return properties;
    }

    /** Reports every route with {@code ack: buffer}: its buffer would stay on this node's disk if it died. */
    private void refuseBufferedRoutes(Node root) {
        HostedKeys.bufferedRoutes(root, (ack, path) -> reader.report(ack.getKeyNode(), path, "`buffer` is not "
                + "available with `cluster` yet: a killed node's buffer would wait for it; use `sink`"));
    }
}
