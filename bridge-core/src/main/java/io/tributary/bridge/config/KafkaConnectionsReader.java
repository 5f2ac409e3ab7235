package io.tributary.bridge.config;

import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads {@code connections.kafka}: each named connection, then that at most one of them is embedded. */
final class KafkaConnectionsReader {

    private static final ValueType<String> SHORTHAND = ValueTypes.exactly(ConnectionKeys.EMBEDDED_SHORTHAND,
            "a mapping with the keys " + ConnectionKeys.KAFKA_CONNECTION.allowedKeys() + ", or "
                    + ConnectionKeys.EMBEDDED_SHORTHAND);

    private final YamlNodeReader reader;
    private final KafkaConnectionReader connectionReader;

    KafkaConnectionsReader(YamlNodeReader reader) {
        this.reader = reader;
        this.connectionReader = new KafkaConnectionReader(reader);
    }

    NamedConnections<KafkaConnectionSettings> read(Node node, String path) {
        String[] embeddedAt = {null};
        return NamedConnections.read(reader, node, path, ConnectionKeys.KAFKA.type().expected(),
                (name, value, entryPath) -> {
                    Optional<KafkaConnectionSettings> connection = readConnection(name, value, entryPath);
                    if (connection.isPresent() && connection.get().embedded()) {
                        if (embeddedAt[0] != null) {
                            reader.report(value, entryPath, "only one Kafka connection can be embedded, and "
                                    + embeddedAt[0] + " already is");
                            return Optional.empty();
                        }
                        embeddedAt[0] = entryPath + " (line " + reader.locate(value).line() + ")";
                    }
                    return connection;
                });
    }

    private Optional<KafkaConnectionSettings> readConnection(String name, Node node, String path) {
        if (node instanceof ScalarNode && !YamlNodeReader.isNull(node)) {
            return reader.scalar(node, path, SHORTHAND)
                    .map(s -> KafkaConnectionSettings.embedded(name, ConnectionKeys.PORT.defaultValue()));
        }
        return connectionReader.read(name, node, path);
    }
}
