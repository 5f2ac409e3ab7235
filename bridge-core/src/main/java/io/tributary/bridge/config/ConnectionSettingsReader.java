package io.tributary.bridge.config;

import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads the {@code connections} section: each named Kafka and SQL connection, written as a mapping or as
 * {@code embedded}, then that at most one Kafka connection is embedded.
 */
final class ConnectionSettingsReader {

    /**
     * The connections, empty when any is invalid, and the names declared for each kind, valid or not: routes
     * are checked against these, so that a broken connection is one error, not one more per route using it.
     */
    record ReadConnections(Optional<ConnectionSettings> settings, Set<String> kafkaNames, Set<String> jdbcNames) {
    }

    private final YamlNodeReader reader;
    private final KafkaConnectionReader kafkaReader;
    private final JdbcConnectionReader jdbcReader;

    /** @param files resolves the files of secrets against the configuration file's folder */
    ConnectionSettingsReader(YamlNodeReader reader, FileValues files) {
        this.reader = reader;
        this.kafkaReader = new KafkaConnectionReader(reader);
        this.jdbcReader = new JdbcConnectionReader(reader, new SecretReader(reader, files));
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
        String[] embeddedAt = {null};
        NamedConnections<KafkaConnectionSettings> kafka = named(connections.get(), ConnectionKeys.KAFKA,
                (name, value, path) -> readKafka(name, value, path).filter(c -> onlyEmbedded(c, value, path,
                        embeddedAt)));
        NamedConnections<JdbcConnectionSettings> jdbc = named(connections.get(), ConnectionKeys.JDBC,
                this::readJdbc);
        Optional<ConnectionSettings> settings = kafka.connections()
                .flatMap(k -> jdbc.connections().map(j -> new ConnectionSettings(k, j)));
        return new ReadConnections(settings, kafka.names(), jdbc.names());
    }

    private <T> NamedConnections<T> named(YamlMapping connections, ConfigKey<?> key,
                                          NamedConnections.EntryReader<T> entries) {
        return connections.value(key)
                .map(n -> NamedConnections.read(reader, n, connections.pathOf(key), key.type().expected(), entries))
                .orElseGet(NamedConnections::none);
    }

    private Optional<KafkaConnectionSettings> readKafka(String name, Node node, String path) {
        return isShorthand(node)
                ? shorthand(node, path, ConnectionKeys.KAFKA_CONNECTION)
                        .map(s -> KafkaConnectionSettings.embedded(name, ConnectionKeys.PORT.defaultValue()))
                : kafkaReader.read(name, node, path);
    }

    private Optional<JdbcConnectionSettings> readJdbc(String name, Node node, String path) {
        return isShorthand(node)
                ? shorthand(node, path, ConnectionKeys.JDBC_CONNECTION).map(s -> new JdbcConnectionSettings(name,
                        null, true, Optional.empty(), Optional.empty(), ConnectionKeys.POOL_SIZE.defaultValue()))
                : jdbcReader.read(name, node, path);
    }

    /** Whether the Kafka connection is the first embedded one, or not embedded; the second is reported. */
    private boolean onlyEmbedded(KafkaConnectionSettings connection, Node value, String path, String[] embeddedAt) {
        if (!connection.embedded()) {
            return true;
        }
        if (embeddedAt[0] != null) {
            reader.report(value, path, "only one Kafka connection can be embedded, and " + embeddedAt[0]
                    + " already is");
            return false;
        }
        embeddedAt[0] = path + " (line " + reader.locate(value).line() + ")";
        return true;
    }

    private static boolean isShorthand(Node node) {
        return node instanceof ScalarNode && !YamlNodeReader.isNull(node);
    }

    /** {@code embedded}, short for {@code { embedded: true }}; anything else is reported. */
    private Optional<String> shorthand(Node node, String path, ConfigSection section) {
        return reader.scalar(node, path, ValueTypes.exactly(ConnectionKeys.EMBEDDED_SHORTHAND,
                Shape.expected(section) + ", or " + ConnectionKeys.EMBEDDED_SHORTHAND));
    }
}
