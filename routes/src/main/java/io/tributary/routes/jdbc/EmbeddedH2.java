package io.tributary.routes.jdbc;

import java.nio.file.Path;

/**
 * Where an embedded JDBC connection's H2 database lives, and the user it is created with: the routes' pool opens
 * it there, and the application's {@code tributary sql} and mixed-mode sharing find it there.
 */
public final class EmbeddedH2 {

    /** The user H2 creates an embedded database with when the configuration names none. */
    public static final String DEFAULT_USER = "sa";

    private EmbeddedH2() {
    }

    /** The database's file without H2's {@code .mv.db} suffix: {@code DATA-DIRECTORY/h2/NAME}. */
    public static Path file(Path dataDirectory, String name) {
        return directory(dataDirectory).resolve(name);
    }

    /** The folder of every embedded database: {@code DATA-DIRECTORY/h2}. */
    static Path directory(Path dataDirectory) {
        return dataDirectory.toAbsolutePath().resolve("h2");
    }
}
