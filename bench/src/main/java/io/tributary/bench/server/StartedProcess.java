package io.tributary.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A process the driver started and owns: stopped by its own PID (SIGTERM, then SIGKILL after a grace period), its PID
 * kept in a file while it runs so that {@code bench/run.sh} can stop it should the driver die first.
 */
public abstract class StartedProcess implements OwnedProcess {

    private final String name;
    private final Process process;
    private final Path log;
    private final Path pidFile;
    private final Duration grace;

    /**
     * @param pidFile where to keep the PID while the process runs, or null
     * @param grace how long {@link #close()} waits after SIGTERM before it sends SIGKILL
     */
    protected StartedProcess(String name, Process process, Path log, Path pidFile, Duration grace) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pidFile = pidFile;
        this.grace = grace;
    }

    /** Writes the PID file, if there is one; {@link #close()} deletes it. */
    protected final void writePidFile() throws IOException {
        if (pidFile != null) {
            Files.createDirectories(pidFile.toAbsolutePath().getParent());
            Files.writeString(pidFile, process.pid() + "\n");
        }
    }

    protected final Process process() {
        return process;
    }

    public final String name() {
        return name;
    }

    @Override
    public final long pid() {
        return process.pid();
    }

    public final Path log() {
        return log;
    }

    @Override
    public final boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public final OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Stops the process: SIGTERM to its PID, SIGKILL if it has not exited within the grace period. */
    @Override
    public final void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
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
