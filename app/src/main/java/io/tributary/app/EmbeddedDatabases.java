package io.tributary.app;

import io.tributary.bridge.config.JdbcConnectionSettings;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.routes.jdbc.EmbeddedH2;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each embedded H2 database of a running Tributary open in H2's mixed mode ({@code AUTO_SERVER=TRUE}),
 * so that {@code tributary sql} in another process can read it while the routes write to it.
 *
 * <p>H2 lets one process open a file database. In mixed mode the process that opens it first also serves it
 * to others over TCP, at the address and with the random key it writes to the database's lock file. The
 * routes' pool opens the database without that setting, so one connection opened here first, with it, and
 * held until the routes are closed, puts the database in mixed mode; the pool's connections join the same
 * open database. The server binds the loopback address only ({@code h2.bindAddress}), and the key is in
 * {@code DATA-DIRECTORY/h2}, which only the owner can read.
 *
 * <p>H2 refuses mixed mode with {@code DB_CLOSE_ON_EXIT=FALSE}, so such a database is closed by H2's own
 * shutdown hook: {@link ShutdownSignals} stops Tributary before the JVM's hooks run.
 */
final class EmbeddedDatabases implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabases.class);

    static {
        // Read by H2 once, when it first starts a server in this JVM.
        System.getProperties().putIfAbsent("h2.bindAddress", "127.0.0.1");
    }

    private final List<Connection> held;

    private EmbeddedDatabases(List<Connection> held) {
        this.held = held;
    }

    /**
     * Opens every embedded database of {@code config} in mixed mode. One that cannot be opened is logged and
     * left to the routes, which report their own failure: this only adds the sharing.
     */
    static EmbeddedDatabases open(TributaryConfig config, Map<String, String> environment) {
        List<Connection> held = new ArrayList<>();
        for (JdbcConnectionSettings settings : config.connections().jdbc().values()) {
            if (!settings.embedded()) {
                continue;
            }
            try {
                held.add(connect(config.dataDirectory(), settings, environment, ""));
            } catch (SQLException | RuntimeException e) {
                LOG.warn("the embedded database '{}' is not shared with `tributary sql`: {}", settings.name(),
                        e.getMessage());
            }
        }
        return new EmbeddedDatabases(held);
    }

    /**
     * A connection to an embedded database in mixed mode: to the file itself when no other process has it
     * open, else through the server of the process that has.
     *
     * @param settings extra H2 settings, each starting with {@code ;}
     */
    static Connection connect(Path dataDirectory, JdbcConnectionSettings settings, Map<String, String> environment,
                              String extraSettings) throws SQLException {
        String url = "jdbc:h2:file:" + EmbeddedH2.file(dataDirectory, settings.name()) + ";AUTO_SERVER=TRUE"
                + extraSettings;
        String user = settings.username().orElse(EmbeddedH2.DEFAULT_USER);
        String password = settings.password().map(secret -> secret.read(environment)).orElse("");
        return DriverManager.getConnection(url, user, password);
    }

    /** Closes the held connections: call once the routes' pools are closed, so that H2 closes the files. */
    @Override
    public void close() {
        for (Connection connection : held) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warn("closing an embedded database: {}", e.getMessage());
            }
        }
        held.clear();
    }
}
