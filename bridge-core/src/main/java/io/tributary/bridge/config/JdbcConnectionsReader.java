package io.tributary.bridge.config;

import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads {@code connections.jdbc}: each named SQL database, written as a mapping or as {@code embedded}. */
final class JdbcConnectionsReader {

    private static final ValueType<String> SHORTHAND = ValueTypes.exactly(ConnectionKeys.EMBEDDED_SHORTHAND,
            "a mapping with the keys " + ConnectionKeys.JDBC_CONNECTION.allowedKeys() + ", or "
                    + ConnectionKeys.EMBEDDED_SHORTHAND);

    private final YamlNodeReader reader;
    private final JdbcConnectionReader connectionReader;

    JdbcConnectionsReader(YamlNodeReader reader, SecretReader secrets) {
        this.reader = reader;
        this.connectionReader = new JdbcConnectionReader(reader, secrets);
    }

    NamedConnections<JdbcConnectionSettings> read(Node node, String path) {
        return NamedConnections.read(reader, node, path, ConnectionKeys.JDBC.type().expected(),
                this::readConnection);
    }

    private Optional<JdbcConnectionSettings> readConnection(String name, Node node, String path) {
        if (node instanceof ScalarNode && !YamlNodeReader.isNull(node)) {
            return reader.scalar(node, path, SHORTHAND).map(s -> new JdbcConnectionSettings(name, null, true,
                    Optional.empty(), Optional.empty(), ConnectionKeys.POOL_SIZE.defaultValue()));
        }
        return connectionReader.read(name, node, path);
    }
}
