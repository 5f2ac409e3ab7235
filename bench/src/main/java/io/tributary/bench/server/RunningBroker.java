package io.tributary.bench.server;

import io.tributary.bench.connections.ReadinessProbe;
import io.tributary.testsupport.net.FreePort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * One broker process under test: started from a {@link BrokerLauncher} with its output going straight to a log file,
 * watched through {@code /proc}, and stopped by its own PID (SIGTERM, then SIGKILL after ten seconds).
 */
public final class RunningBroker extends StartedProcess {

    public static final String HOST = "127.0.0.1";

    private final int port;

    private RunningBroker(String name, Process process, int port, Path log, Path pidFile) {
        super(name, process, log, pidFile, Duration.ofSeconds(10));
        this.port = port;
    }

    /**
     * Starts the broker on a free loopback port, its output going to {@code workDir/broker.log}, and waits until it
     * answers an MQTT CONNECT.
     */
    public static RunningBroker start(BrokerLauncher launcher, Path workDir, Path pidFile, Duration readyTimeout)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        int port = FreePort.onLoopback();
        List<String> command = launcher.command(port, workDir);
        Path log = workDir.resolve("broker.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        RunningBroker broker = new RunningBroker(launcher.displayName(), process, port, log, pidFile);
        broker.writePidFile();
        try {
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
                throw new IOException(name() + " exited with code " + process().exitValue()
                        + " before it was ready; log:\n" + logTail(20));
            }
            if (ReadinessProbe.acceptsMqtt(HOST, port, Duration.ofSeconds(1))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException(name() + " did not accept an MQTT connection on port " + port + " within " + timeout
                + "; log:\n" + logTail(20));
    }

    public int port() {
        return port;
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
            List<String> all = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }
}
