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
        int errorsBefore = reader.errors().count();
        Optional<YamlMapping> found = reader.mapping(node, path, ConnectionKeys.KAFKA_CONNECTION, reader.locate(node));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping connection = found.get();
        Optional<String> servers = reader.read(connection, BOOTSTRAP_SERVERS);
        Optional<Boolean> embedded = reader.read(connection, EMBEDDED);
        Optional<Integer> port = reader.read(connection, PORT);
        Optional<Map<String, String>> properties = readProperties(connection);
        embedded.ifPresent(e -> checkKind(connection, e));
        if (reader.errors().count() > errorsBefore) {
            return Optional.empty();
        }
        boolean isEmbedded = embedded.orElseThrow();
        return Optional.of(new KafkaConnectionSettings(name, isEmbedded ? null : servers.orElseThrow(), isEmbedded,
                isEmbedded ? port.orElseThrow() : 0, properties.orElseThrow()));
    }

    private void checkKind(YamlMapping connection, boolean embedded) {
        boolean external = connection.has(BOOTSTRAP_SERVERS);
        if (embedded && external) {
            reader.report(connection.location(), connection.path(),
                    "expected either bootstrap-servers or embedded: true, got both");
        } else if (!embedded && !external) {
            reader.report(connection.location(), connection.path(), "expected bootstrap-servers for an external "
                    + "Kafka or embedded: true for one that Tributary runs, got neither");
        }
        if (!embedded && connection.has(PORT)) {
            reader.report(connection.value(PORT).orElseThrow(), connection.pathOf(PORT),
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
