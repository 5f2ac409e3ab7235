package io.tributary.testsupport.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The process of a server that tests stop and start again: at most one {@link ChildProcess} at a time, all of
 * them writing to the same log (and PID file).
 */
public final class ServerProcess {
    private final String name;
    private final Path log;
    private final Path pidFile;
    private final String readyPrefix;
    private final Duration timeout;
    private ChildProcess current;

    /** Nothing starts before {@link #start}. */
    public ServerProcess(String name, Path log, ServerOptions<?> options, String readyPrefix) {
        this.name = name;
        this.log = log;
        this.pidFile = options.pidFile();
        this.readyPrefix = readyPrefix;
        this.timeout = options.timeout();
    }

    /** Runs {@code command} unless the server runs already, and returns once it is ready. */
    public synchronized void start(List<String> command) {
        if (!isRunning()) {
            current = ChildProcess.start(name, command, log, pidFile, readyPrefix, timeout);
        }
    }

    public synchronized boolean isRunning() {
        return current != null && current.isAlive();
    }

    /** The running server's PID. @throws IllegalStateException if it is not running */
    public synchronized long pid() {
        if (!isRunning()) {
            throw new IllegalStateException(name + " is not running");
        }
        return current.pid();
    }

    /** The last lines of the server's output since its last start, for failure messages. */
    public synchronized String logTail(int lines) {
        return current == null ? "" : current.logTail(lines);
    }

    /** SIGTERM (SIGKILL after {@code grace}); returns the PID it ended, or -1 if nothing ran. */
    public synchronized long stop(Duration grace) {
        return end(false, grace);
    }

    /** SIGKILL; returns the PID it ended, or -1 if nothing ran. */
    public synchronized long kill() {
        return end(true, Duration.ZERO);
    }

    private long end(boolean forcibly, Duration grace) {
        if (current == null) {
            return -1;
        }
        long pid = current.pid();
        if (forcibly) {
            current.kill();
        } else {
            current.stop(grace);
        }
        current = null;
        return pid;
    }
}
