package io.tributary.bridge.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code connections} section, handing each kind of connection to its reader. */
final class ConnectionSettingsReader {

    /**
     * The connections, empty when any is invalid, and the names declared for each kind, valid or not: routes
     * are checked against these, so that a broken connection is one error, not one more per route using it.
     */
    record ReadConnections(Optional<ConnectionSettings> settings, Set<String> kafkaNames) {
    }

    private final YamlNodeReader reader;
    private final KafkaConnectionsReader kafkaReader;

    ConnectionSettingsReader(YamlNodeReader reader) {
        this.reader = reader;
        this.kafkaReader = new KafkaConnectionsReader(reader);
    }

    /** The {@code connections} of the top-level mapping; none when the key is absent. */
    ReadConnections read(YamlMapping top) {
        Optional<Node> node = top.value(ConfigSchema.CONNECTIONS);
        if (node.isEmpty()) {
            return new ReadConnections(Optional.of(ConnectionSettings.none()), Set.of());
        }
        Optional<YamlMapping> connections = reader.mapping(node.get(), top.pathOf(ConfigSchema.CONNECTIONS),
                ConnectionKeys.CONNECTIONS, reader.locate(node.get()));
        if (connections.isEmpty()) {
            return new ReadConnections(Optional.empty(), Set.of());
        }
        KafkaConnectionsReader.ReadKafka kafka = connections.get().value(ConnectionKeys.KAFKA)
                .map(n -> kafkaReader.read(n, connections.get().pathOf(ConnectionKeys.KAFKA)))
                .orElseGet(() -> new KafkaConnectionsReader.ReadKafka(Optional.of(Map.of()), Set.of()));
        return new ReadConnections(kafka.connections().map(ConnectionSettings::new), kafka.names());
    }
}
