package io.tributary.bridge.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads {@code connections.kafka}: each named connection, then that at most one of them is embedded. */
final class KafkaConnectionsReader {

    /** The connections by name, empty when any is invalid, and every valid name declared. */
    record ReadKafka(Optional<Map<String, KafkaConnectionSettings>> connections, Set<String> names) {
    }

    private static final ValueType<String> SHORTHAND = ValueTypes.exactly(ConnectionKeys.EMBEDDED_SHORTHAND,
            "a mapping with the keys " + ConnectionKeys.KAFKA_CONNECTION.allowedKeys() + ", or "
                    + ConnectionKeys.EMBEDDED_SHORTHAND);

    private final YamlNodeReader reader;
    private final KafkaConnectionReader connectionReader;

    KafkaConnectionsReader(YamlNodeReader reader) {
        this.reader = reader;
        this.connectionReader = new KafkaConnectionReader(reader);
    }

    ReadKafka read(Node node, String path) {
        Optional<List<YamlNodeReader.Entry>> entries = reader.entries(node, path,
                ConnectionKeys.KAFKA.type().expected());
        if (entries.isEmpty()) {
            return new ReadKafka(Optional.empty(), Set.of());
        }
        Map<String, KafkaConnectionSettings> connections = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        String embeddedAt = null;
        boolean allValid = true;
        for (YamlNodeReader.Entry entry : entries.get()) {
            String entryPath = YamlNodeReader.child(path, entry.key());
            // Names are not interpolated: a route must be able to refer to them as written.
            Optional<String> name = reader.text(entry.key(), reader.locate(entry.keyNode()), entryPath,
                    ValueTypes.name());
            name.ifPresent(names::add);
            Optional<KafkaConnectionSettings> connection = name.flatMap(n -> readConnection(n, entry.value(), entryPath));
            if (connection.isPresent() && connection.get().embedded()) {
                if (embeddedAt != null) {
                    reader.report(entry.value(), entryPath, "only one Kafka connection can be embedded, and "
                            + embeddedAt + " already is");
                    connection = Optional.empty();
                } else {
                    embeddedAt = entryPath + " (line " + reader.locate(entry.value()).line() + ")";
                }
            }
            connection.ifPresent(c -> connections.put(c.name(), c));
            allValid &= connection.isPresent();
        }
        return new ReadKafka(allValid ? Optional.of(connections) : Optional.empty(), names);
    }

    private Optional<KafkaConnectionSettings> readConnection(String name, Node node, String path) {
        if (node instanceof ScalarNode && !YamlNodeReader.isNull(node)) {
            return reader.scalar(node, path, SHORTHAND)
                    .map(s -> KafkaConnectionSettings.embedded(name, ConnectionKeys.PORT.defaultValue()));
        }
        return connectionReader.read(name, node, path);
    }
}
