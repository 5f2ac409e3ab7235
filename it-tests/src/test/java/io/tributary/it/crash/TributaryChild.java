package io.tributary.it.crash;

import io.tributary.testsupport.process.ChildProcess;
import io.tributary.testsupport.process.JavaCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code tributary run --config FILE} in its own JVM, as users run it, on one data directory and one MQTT port
 * that stay the same across restarts, so that devices come back to the same place. {@link #kill()} is
 * {@code kill -9} of that JVM's PID; {@link #start()} runs it again on the same files.
 *
 * <p>In the folder: {@code tributary.yaml}, {@code data/} (the data directory, unless given elsewhere),
 * {@code tributary.log} (appended to across restarts, each run headed by its PID) and the class-path argument file.
 * Public for the cluster tests, which run three of them as the nodes of one cluster.
 */
public final class TributaryChild implements AutoCloseable {
    private static final String MAIN = "io.tributary.app.Main";
    /** The line {@code RunCommand} logs once the broker and every route run, in tributary-child-logback.xml's form. */
    private static final String READY_PREFIX = "INFO  RunCommand - tributary ";
    private static final List<String> JVM_FLAGS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dlogback.configurationFile=tributary-child-logback.xml");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path folder;
    private final Path dataDirectory;
    private final Path config;
    private final int mqttPort;
    private ChildProcess process;
    private int starts;

    /**
     * @param yaml the configuration without {@code data-directory}, which is added; its MQTT listener must use
     *             {@code mqttPort}
     */
    public TributaryChild(Path folder, int mqttPort, String yaml) {
        this(folder, folder.resolve("data"), mqttPort, yaml);
    }

    /** With the data directory elsewhere than in {@code folder} (on a small file system, say). */
    public TributaryChild(Path folder, Path dataDirectory, int mqttPort, String yaml) {
        this.folder = folder.toAbsolutePath();
        this.dataDirectory = dataDirectory.toAbsolutePath();
        this.mqttPort = mqttPort;
        this.config = this.folder.resolve("tributary.yaml");
        try {
            Files.createDirectories(dataDirectory());
            Files.writeString(config, "data-directory: \"" + dataDirectory() + "\"\n" + yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts Tributary and returns once it logged that it started. */
    public TributaryChild start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running (pid " + process.pid() + ")");
        }
        List<String> command = JavaCommand.of(folder.resolve("classpath.args"), JVM_FLAGS, MAIN,
                List.of("run", "--config", config.toString()));
        process = ChildProcess.start("tributary", command, log(), null, READY_PREFIX, START_TIMEOUT);
        starts++;
        return this;
    }

    /** SIGKILL to the child's PID, like {@code kill -9}: no shutdown hook runs. Returns once it has ended. */
    public long kill() {
        long pid = process.pid();
        process.kill();
        return pid;
    }

    /** SIGTERM, a graceful stop; SIGKILL after 30 s. */
    public void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(30));
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public int mqttPort() {
        return mqttPort;
    }

    public int starts() {
        return starts;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public Path log() {
        return folder.resolve("tributary.log");
    }

    /** Every line the child logged so far, across restarts, for assertions on what it said. */
    public List<String> logLines() {
        try {
            return Files.readAllLines(log(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logTail(int lines) {
        return process == null ? "" : process.logTail(lines);
    }

    @Override
    public void close() {
        stop();
    }
}
