package io.tributary.bench.server;

import io.tributary.bench.connections.ReadinessProbe;
import io.tributary.testsupport.net.FreePort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One broker process under test: started from a {@link BrokerLauncher} with its output going straight to a log file,
 * watched through {@code /proc}, and stopped by its own PID (SIGTERM, then SIGKILL after ten seconds). Its PID is kept
 * in a file while it runs, so that {@code bench/run.sh} can stop it should the driver die first.
 */
public final class RunningBroker implements OwnedProcess {

    public static final String HOST = "127.0.0.1";

    private static final Duration GRACE = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final Path pidFile;

    private RunningBroker(String name, Process process, int port, Path log, Path pidFile) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.pidFile = pidFile;
    }

    /**
     * Starts the broker on a free loopback port, its output going to {@code workDir/broker.log}, and waits until it
     * answers an MQTT CONNECT.
     *
     * @param pidFile where to keep the PID while the broker runs, or null
     */
    public static RunningBroker start(BrokerLauncher launcher, Path workDir, Path pidFile, Duration readyTimeout)
            throws IOException, InterruptedException {
        return start(launcher, workDir, pidFile, readyTimeout, Map.of());
    }

    /**
     * The same, with {@code environment} added to the broker's environment (a cluster node's name, say).
     */
    public static RunningBroker start(BrokerLauncher launcher, Path workDir, Path pidFile, Duration readyTimeout,
                                      Map<String, String> environment) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        int port = FreePort.onLoopback();
        List<String> command = launcher.command(port, workDir);
        Path log = workDir.resolve("broker.log");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        RunningBroker broker = new RunningBroker(launcher.displayName(), process, port, log, pidFile);
        try {
            if (pidFile != null) {
                Files.createDirectories(pidFile.toAbsolutePath().getParent());
                Files.writeString(pidFile, process.pid() + "\n");
            }
            broker.awaitReady(readyTimeout);
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IOException(name + " exited with code " + process.exitValue()
                        + " before it was ready; log:\n" + logTail(20));
            }
            if (ReadinessProbe.acceptsMqtt(HOST, port, Duration.ofSeconds(1))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException(name + " did not accept an MQTT connection on port " + port + " within " + timeout
                + "; log:\n" + logTail(20));
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    public OptionalLong residentBytes() {
        return ProcStats.residentBytes(pid());
    }

    public OptionalLong cpuNanos() {
        return ProcStats.cpuNanos(pid());
    }

    /** The last lines of the broker's output, for reports on failures. */
    @Override
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the broker: SIGTERM to its PID, SIGKILL if it has not exited within ten seconds. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            if (pidFile != null) {
                try {
                    Files.deleteIfExists(pidFile);
                } catch (IOException ignored) {
                    // run.sh checks the PID is still ours before it acts on a stale file
                }
            }
        }
    }
}
