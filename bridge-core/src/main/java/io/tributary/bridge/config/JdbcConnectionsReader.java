package io.tributary.bridge.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads {@code connections.jdbc}: each named SQL database, written as a mapping or as {@code embedded}. */
final class JdbcConnectionsReader {

    /** The connections by name, empty when any is invalid, and every valid name declared. */
    record ReadJdbc(Optional<Map<String, JdbcConnectionSettings>> connections, Set<String> names) {
    }

    private static final ValueType<String> SHORTHAND = ValueTypes.exactly(ConnectionKeys.EMBEDDED_SHORTHAND,
            "a mapping with the keys " + ConnectionKeys.JDBC_CONNECTION.allowedKeys() + ", or "
                    + ConnectionKeys.EMBEDDED_SHORTHAND);

    private final YamlNodeReader reader;
    private final JdbcConnectionReader connectionReader;

    JdbcConnectionsReader(YamlNodeReader reader, SecretReader secrets) {
        this.reader = reader;
        this.connectionReader = new JdbcConnectionReader(reader, secrets);
    }

    ReadJdbc read(Node node, String path) {
        Optional<List<YamlNodeReader.Entry>> entries = reader.entries(node, path,
                ConnectionKeys.JDBC.type().expected());
        if (entries.isEmpty()) {
            return new ReadJdbc(Optional.empty(), Set.of());
        }
        Map<String, JdbcConnectionSettings> connections = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        boolean allValid = true;
        for (YamlNodeReader.Entry entry : entries.get()) {
            String entryPath = YamlNodeReader.child(path, entry.key());
            // Names are not interpolated: a route must be able to refer to them as written.
            Optional<String> name = reader.text(entry.key(), reader.locate(entry.keyNode()), entryPath,
                    ValueTypes.name());
            name.ifPresent(names::add);
            Optional<JdbcConnectionSettings> connection = name.flatMap(n -> readConnection(n, entry.value(),
                    entryPath));
            connection.ifPresent(c -> connections.put(c.name(), c));
            allValid &= connection.isPresent();
        }
        return new ReadJdbc(allValid ? Optional.of(connections) : Optional.empty(), names);
    }

    private Optional<JdbcConnectionSettings> readConnection(String name, Node node, String path) {
        if (node instanceof ScalarNode && !YamlNodeReader.isNull(node)) {
            return reader.scalar(node, path, SHORTHAND).map(s -> new JdbcConnectionSettings(name, null, true,
                    Optional.empty(), Optional.empty(), ConnectionKeys.POOL_SIZE.defaultValue()));
        }
        return connectionReader.read(name, node, path);
    }
}
