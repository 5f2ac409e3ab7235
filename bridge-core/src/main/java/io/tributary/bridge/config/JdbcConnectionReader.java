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
        return reader.section(node, path, ConnectionKeys.JDBC_CONNECTION, connection -> {
            connection.optional(URL).ifPresent(u -> checkNoPassword(u, connection));
            Optional<Secret> password = secrets.optional(connection.mapping(), PASSWORD);
            boolean embedded = connection.optional(JDBC_EMBEDDED).orElse(false);
            connection.optional(JDBC_EMBEDDED).ifPresent(e -> checkKind(connection, e));
            return () -> new JdbcConnectionSettings(name, embedded ? null : connection.get(URL), embedded,
                    connection.optional(USERNAME), password, connection.get(POOL_SIZE));
        });
    }

    private void checkKind(SectionValues connection, boolean embedded) {
        boolean external = connection.has(URL);
        if (embedded && external) {
            connection.report("expected either url or embedded: true, got both");
        } else if (!embedded && !external) {
            connection.report("expected url for a database Tributary connects to or embedded: true for an H2 "
                    + "database that it keeps, got neither");
        }
        // An embedded H2 database is Tributary's own file, opened without credentials.
        for (ConfigKey<?> key : List.of(USERNAME, PASSWORD)) {
            if (embedded && connection.has(key)) {
                connection.report(key,
                        key.name() + " is only for a database reached by url; an embedded one needs none");
            }
        }
    }

    /** The PostgreSQL driver takes {@code password=} in the URL, which would put the secret in the file. */
    private void checkNoPassword(String url, SectionValues connection) {
        if (url.toLowerCase(Locale.ROOT).contains("password=")) {
            connection.report(URL, "a secret is never written in the configuration: give the password as "
                    + "password: { env: NAME } or { file: PATH }");
        }
    }
}
