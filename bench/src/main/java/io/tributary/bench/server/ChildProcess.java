package io.tributary.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A helper process that is not an MQTT broker (a Kafka broker, a bridge): started with its output copied to a log
 * file, ready once it prints a line starting with a given prefix, and stopped by its own PID (SIGTERM, then SIGKILL
 * after 30 seconds).
 *
 * <p>Its standard input stays an open pipe from this JVM: a child that exits when its standard input ends (such as
 * {@code EmbeddedKafkaMain --exit-on-stdin-eof}) also ends when the driver dies.
 */
public final class ChildProcess extends StartedProcess {

    private static final int TAIL_LINES = 40;

    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Deque<String> tail = new ArrayDeque<>();

    private ChildProcess(String name, Process process, Path log, Path pidFile) {
        super(name, process, log, pidFile, Duration.ofSeconds(30));
    }

    /**
     * Starts {@code command}, its output going to {@code log}, and waits until it prints a line starting with
     * {@code readyPrefix}.
     *
     * @param pidFile where to keep the PID while the process runs, or null
     */
    public static ChildProcess start(String name, List<String> command, Path log, Path pidFile, String readyPrefix,
                                     Duration readyTimeout) throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ChildProcess child = new ChildProcess(name, process, log, pidFile);
        child.writePidFile();
        Thread pump = new Thread(() -> child.pump(readyPrefix), "output-" + name);
        pump.setDaemon(true);
        pump.start();
        try {
            child.ready.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            child.close();
            throw new IOException(name + " did not get ready within " + readyTimeout + " (" + (e.getCause() != null
                    ? e.getCause().getMessage() : "timed out") + "); log:\n" + child.logTail(20), e);
        } catch (InterruptedException e) {
            child.close();
            throw e;
        }
        return child;
    }

    private void pump(String readyPrefix) {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process().getInputStream(),
                StandardCharsets.UTF_8));
             Writer writer = Files.newBufferedWriter(log(), StandardCharsets.UTF_8)) {
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
        ready.completeExceptionally(new IOException("the process ended" + (isAlive() ? ""
                : " with code " + exitCodeOrUnknown()) + " before it was ready"));
    }

    private String exitCodeOrUnknown() {
        try {
            return Integer.toString(process().waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** What followed the ready prefix on the ready line. */
    public String readyLine() {
        return ready.getNow("");
    }

    @Override
    public String logTail(int lines) {
        synchronized (tail) {
            List<String> all = List.copyOf(tail);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }
}
