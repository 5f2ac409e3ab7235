package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionKeys.JDBC_EMBEDDED;
import static io.tributary.bridge.config.ConnectionKeys.PASSWORD;
import static io.tributary.bridge.config.ConnectionKeys.POOL_SIZE;
import static io.tributary.bridge.config.ConnectionKeys.URL;
import static io.tributary.bridge.config.ConnectionKeys.USERNAME;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads one SQL database written as a mapping: one reached by a JDBC URL, or an embedded H2 database. */
final class JdbcConnectionReader {

    private final YamlNodeReader reader;
    private final SecretReader secrets;

    JdbcConnectionReader(YamlNodeReader reader, SecretReader secrets) {
        this.reader = reader;
        this.secrets = secrets;
    }

    /** The connection named {@code name}; empty when it is invalid, each problem reported. */
    Optional<JdbcConnectionSettings> read(String name, Node node, String path) {
        int errorsBefore = reader.errors().count();
        Optional<YamlMapping> found = reader.mapping(node, path, ConnectionKeys.JDBC_CONNECTION, reader.locate(node));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping connection = found.get();
        Optional<String> url = reader.read(connection, URL);
        url.ifPresent(u -> checkNoPassword(u, connection));
        Optional<Boolean> embedded = reader.read(connection, JDBC_EMBEDDED);
        Optional<String> username = reader.read(connection, USERNAME);
        Optional<Secret> password = secrets.optional(connection, PASSWORD);
        Optional<Integer> poolSize = reader.read(connection, POOL_SIZE);
        embedded.ifPresent(e -> checkKind(connection, e));
        if (reader.errors().count() > errorsBefore) {
            return Optional.empty();
        }
        boolean isEmbedded = embedded.orElseThrow();
        return Optional.of(new JdbcConnectionSettings(name, isEmbedded ? null : url.orElseThrow(), isEmbedded,
                username, password, poolSize.orElseThrow()));
    }

    private void checkKind(YamlMapping connection, boolean embedded) {
        boolean external = connection.has(URL);
        if (embedded && external) {
            reader.report(connection.location(), connection.path(), "expected either url or embedded: true, got both");
        } else if (!embedded && !external) {
            reader.report(connection.location(), connection.path(), "expected url for a database Tributary "
                    + "connects to or embedded: true for an H2 database that it keeps, got neither");
        }
        // An embedded H2 database is Tributary's own file, opened without credentials.
        for (ConfigKey<?> key : List.of(USERNAME, PASSWORD)) {
            if (embedded && connection.has(key)) {
                reader.report(connection.value(key).orElseThrow(), connection.pathOf(key),
                        key.name() + " is only for a database reached by url; an embedded one needs none");
            }
        }
    }

    /** The PostgreSQL driver takes {@code password=} in the URL, which would put the secret in the file. */
    private void checkNoPassword(String url, YamlMapping connection) {
        if (url.toLowerCase(Locale.ROOT).contains("password=")) {
            reader.report(connection.value(URL).orElseThrow(), connection.pathOf(URL), "a secret is never written "
                    + "in the configuration: give the password as password: { env: NAME } or { file: PATH }");
        }
    }
}
