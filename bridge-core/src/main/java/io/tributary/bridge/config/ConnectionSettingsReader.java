package io.tributary.bridge.config;

import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code connections} section, handing each kind of connection to its reader. */
final class ConnectionSettingsReader {

    /**
     * The connections, empty when any is invalid, and the names declared for each kind, valid or not: routes
     * are checked against these, so that a broken connection is one error, not one more per route using it.
     */
    record ReadConnections(Optional<ConnectionSettings> settings, Set<String> kafkaNames, Set<String> jdbcNames) {
    }

    private final YamlNodeReader reader;
    private final KafkaConnectionsReader kafkaReader;
    private final JdbcConnectionsReader jdbcReader;

    /** @param files resolves the files of secrets against the configuration file's folder */
    ConnectionSettingsReader(YamlNodeReader reader, FileValues files) {
        this.reader = reader;
        this.kafkaReader = new KafkaConnectionsReader(reader);
        this.jdbcReader = new JdbcConnectionsReader(reader, new SecretReader(reader, files));
    }

    /** The {@code connections} of the top-level mapping; none when the key is absent. */
    ReadConnections read(YamlMapping top) {
        Optional<Node> node = top.value(ConfigSchema.CONNECTIONS);
        if (node.isEmpty()) {
            return new ReadConnections(Optional.of(ConnectionSettings.none()), Set.of(), Set.of());
        }
        Optional<YamlMapping> connections = reader.mapping(node.get(), top.pathOf(ConfigSchema.CONNECTIONS),
                ConnectionKeys.CONNECTIONS, reader.locate(node.get()));
        if (connections.isEmpty()) {
            return new ReadConnections(Optional.empty(), Set.of(), Set.of());
        }
        NamedConnections<KafkaConnectionSettings> kafka = connections.get().value(ConnectionKeys.KAFKA)
                .map(n -> kafkaReader.read(n, connections.get().pathOf(ConnectionKeys.KAFKA)))
                .orElseGet(NamedConnections::none);
        NamedConnections<JdbcConnectionSettings> jdbc = connections.get().value(ConnectionKeys.JDBC)
                .map(n -> jdbcReader.read(n, connections.get().pathOf(ConnectionKeys.JDBC)))
                .orElseGet(NamedConnections::none);
        Optional<ConnectionSettings> settings = kafka.connections()
                .flatMap(k -> jdbc.connections().map(j -> new ConnectionSettings(k, j)));
        return new ReadConnections(settings, kafka.names(), jdbc.names());
    }
}
