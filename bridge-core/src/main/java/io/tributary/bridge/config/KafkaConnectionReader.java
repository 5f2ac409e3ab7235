package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionKeys.BOOTSTRAP_SERVERS;
import static io.tributary.bridge.config.ConnectionKeys.EMBEDDED;
import static io.tributary.bridge.config.ConnectionKeys.PORT;
import static io.tributary.bridge.config.ConnectionKeys.PROPERTIES;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads one Kafka connection written as a mapping: external through bootstrap servers, or embedded. */
final class KafkaConnectionReader {

    /** The client property that {@code bootstrap-servers} sets, so that it is not given twice. */
    private static final String BOOTSTRAP_PROPERTY = "bootstrap.servers";

    private final YamlNodeReader reader;

    KafkaConnectionReader(YamlNodeReader reader) {
        this.reader = reader;
    }

    /** The connection named {@code name}; empty when it is invalid, each problem reported. */
    Optional<KafkaConnectionSettings> read(String name, Node node, String path) {
        return reader.section(node, path, ConnectionKeys.KAFKA_CONNECTION, connection -> {
            Optional<Map<String, String>> properties = readProperties(connection.mapping());
            boolean embedded = connection.optional(EMBEDDED).orElse(false);
            connection.optional(EMBEDDED).ifPresent(e -> checkKind(connection, e));
            return () -> new KafkaConnectionSettings(name, embedded ? null : connection.get(BOOTSTRAP_SERVERS),
                    embedded, embedded ? connection.get(PORT) : 0, properties.orElseThrow());
        });
    }

    private void checkKind(SectionValues connection, boolean embedded) {
        boolean external = connection.has(BOOTSTRAP_SERVERS);
        if (embedded && external) {
            connection.report("expected either bootstrap-servers or embedded: true, got both");
        } else if (!embedded && !external) {
            connection.report("expected bootstrap-servers for an external Kafka or embedded: true for one that "
                    + "Tributary runs, got neither");
        }
        if (!embedded && connection.has(PORT)) {
            connection.report(PORT,
                    "port is only for an embedded Kafka; an external one is reached through bootstrap-servers");
        }
    }

    private Optional<Map<String, String>> readProperties(YamlMapping connection) {
        Optional<Node> node = connection.value(PROPERTIES);
        if (node.isEmpty()) {
            return Optional.of(Map.of());
        }
        String path = connection.pathOf(PROPERTIES);
        Optional<List<YamlNodeReader.Entry>> entries = reader.entries(node.get(), path, PROPERTIES.type().expected());
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> properties = new LinkedHashMap<>();
        boolean allValid = true;
        for (YamlNodeReader.Entry entry : entries.get()) {
            String propertyPath = YamlNodeReader.child(path, entry.key());
            if (entry.key().equals(BOOTSTRAP_PROPERTY)) {
                reader.report(entry.keyNode(), propertyPath, "give the servers as bootstrap-servers of the "
                        + "connection, not as a property");
                allValid = false;
                continue;
            }
            Optional<String> value = reader.scalar(entry.value(), propertyPath, ValueTypes.text());
            value.ifPresent(v -> properties.put(entry.key(), v));
            allValid &= value.isPresent();
        }
        return allValid ? Optional.of(properties) : Optional.empty();
    }
}
