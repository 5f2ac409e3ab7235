package io.tributary.testsupport.process;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server process a test started and owns: its output appended to a log file, ready once it prints a line
 * starting with a given prefix, and ended by its own PID only ({@link #stop} SIGTERM, {@link #kill} SIGKILL).
 *
 * <p>Its standard input stays an open pipe from this JVM, so a child that exits when its input ends (such as
 * {@code EmbeddedKafkaMain --exit-on-stdin-eof}) also ends when the test JVM dies.
 */
public final class ChildProcess {
    private static final int TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Path log;
    private final Path pidFile;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Deque<String> tail = new ArrayDeque<>();

    private ChildProcess(String name, Process process, Path log, Path pidFile) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pidFile = pidFile;
    }

    /**
     * Starts {@code command} and waits until it prints a line starting with {@code readyPrefix}; on failure or
     * timeout the process is killed and the exception carries the last lines of its output.
     *
     * @param pidFile where to keep the PID while the process runs (for a script that cleans up after a crashed
     *                JVM), or null
     */
    public static ChildProcess start(String name, List<String> command, Path log, Path pidFile, String readyPrefix,
                                     Duration readyTimeout) {
        ChildProcess child;
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            child = new ChildProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start(), log, pidFile);
            if (pidFile != null) {
                Files.createDirectories(pidFile.toAbsolutePath().getParent());
                Files.writeString(pidFile, child.pid() + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        Thread pump = new Thread(() -> child.pump(readyPrefix), "output-" + name);
        pump.setDaemon(true);
        pump.start();
        try {
            child.ready.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            child.kill();
            throw new IllegalStateException(name + " did not get ready within " + readyTimeout + " ("
                    + (e.getCause() != null ? e.getCause().getMessage() : "timed out") + "; see " + log
                    + "), last lines:\n" + child.logTail(20), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.kill();
            throw new IllegalStateException("interrupted while starting " + name, e);
        }
        return child;
    }

    /** What followed the ready prefix on the ready line, trimmed. */
    public String readyLine() {
        return ready.getNow("");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, or empty while the process runs. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** The last lines (at most 40) of the process's output, for failure messages and reports. */
    public String logTail(int lines) {
        synchronized (tail) {
            List<String> all = List.copyOf(tail);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    /** SIGTERM to its PID; SIGKILL if it has not ended within {@code grace}. Returns once it has ended. */
    public void stop(Duration grace) {
        end(false, grace);
    }

    /** SIGKILL to its PID, like {@code kill -9}: no shutdown at all. Returns once it has ended. */
    public void kill() {
        end(true, Duration.ofSeconds(30));
    }

    private void end(boolean forcibly, Duration grace) {
        try {
            if (forcibly) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            deletePidFile();
        }
    }

    private void deletePidFile() {
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException ignored) {
                // a stale PID file is checked against the running process before anyone acts on it
            }
        }
    }

    private void pump(String readyPrefix) {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8, CREATE, APPEND)) {
            // The log is appended to across restarts: this line tells one run from the next.
            writer.write("--- " + name + " pid " + process.pid() + "\n");
            String line;
            while ((line = output.readLine()) != null) {
                writer.write(line);
                writer.write('\n');
                writer.flush();
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                if (!ready.isDone() && line.startsWith(readyPrefix)) {
                    ready.complete(line.substring(readyPrefix.length()).trim());
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("the process ended before it was ready"));
    }
}
