package io.tributary.bridge.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One named SQL database that routes write to, through a HikariCP pool: either reached by a JDBC URL
 * (PostgreSQL in production) or an H2 file database that Tributary keeps under its data directory.
 *
 * @param url {@code null} when embedded
 * @param embedded whether this is an H2 file database under {@code DATA-DIRECTORY/h2/NAME}
 */
public record JdbcConnectionSettings(String name, String url, boolean embedded, Optional<String> username,
                                     Optional<Secret> password, int poolSize) {

    public JdbcConnectionSettings {
        Objects.requireNonNull(name, "name");
        if (embedded == (url != null)) {
            throw new IllegalArgumentException("a JDBC connection is either embedded or has a URL");
        }
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
        }
    }

    /** A connection to the database at {@code url}, without credentials. */
    public static JdbcConnectionSettings of(String name, String url) {
        return new JdbcConnectionSettings(name, url, false, Optional.empty(), Optional.empty(),
                ConnectionKeys.POOL_SIZE.defaultValue());
    }

    /** An embedded H2 file database. */
    public static JdbcConnectionSettings embedded(String name) {
        return new JdbcConnectionSettings(name, null, true, Optional.empty(), Optional.empty(),
                ConnectionKeys.POOL_SIZE.defaultValue());
    }
}
