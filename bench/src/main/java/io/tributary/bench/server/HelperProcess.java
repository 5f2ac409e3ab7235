package io.tributary.bench.server;

import io.tributary.testsupport.process.ChildProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * A helper process that is not an MQTT broker (the baseline's Camel bridge): test-support's {@link ChildProcess},
 * its output copied to a log file, ready once it prints a line starting with a given prefix, stopped by its own
 * PID (SIGTERM, then SIGKILL after 30 seconds). Its standard input stays an open pipe from this JVM, so a child
 * that exits when its input ends also ends when the driver dies.
 */
public final class HelperProcess implements OwnedProcess {

    private static final Duration GRACE = Duration.ofSeconds(30);

    private final ChildProcess child;

    private HelperProcess(ChildProcess child) {
        this.child = child;
    }

    /**
     * Starts {@code command}, its output going to {@code log}, and waits until it prints a line starting with
     * {@code readyPrefix}.
     *
     * @param pidFile where to keep the PID while the process runs
     * @throws IOException if it did not get ready, with the last lines of its output
     */
    public static HelperProcess start(String name, List<String> command, Path log, Path pidFile, String readyPrefix,
                                      Duration readyTimeout) throws IOException {
        try {
            return new HelperProcess(ChildProcess.start(name, command, log, pidFile, readyPrefix, readyTimeout));
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public long pid() {
        return child.pid();
    }

    @Override
    public boolean isAlive() {
        return child.isAlive();
    }

    @Override
    public OptionalInt exitCode() {
        return child.exitCode();
    }

    @Override
    public String logTail(int lines) {
        return child.logTail(lines);
    }

    @Override
    public void close() {
        child.stop(GRACE);
    }
}
