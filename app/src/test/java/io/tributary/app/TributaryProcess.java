package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code tributary} process started by a test, its output read line by line, stopped by its PID. */
final class TributaryProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final List<String> lines = new ArrayList<>();

    private TributaryProcess(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** {@code tributary ARGS} on this JVM's class path. */
    static TributaryProcess onClassPath(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return start(new ProcessBuilder(command));
    }

    /** Starts {@code builder}, its standard error merged into its output. */
    static TributaryProcess start(ProcessBuilder builder) throws IOException {
        return new TributaryProcess(builder.redirectErrorStream(true).start());
    }

    /** Reads lines until one contains {@code marker}; fails at the end of the output. */
    void awaitLine(String marker) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
            if (line.contains(marker)) {
                return;
            }
        }
        assertTrue(false, "no line with '" + marker + "' in: " + output());
    }

    /** Sends SIGTERM to the process (by its PID) and returns its exit code once it ended, its output all read. */
    int stop() throws IOException, InterruptedException {
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running: " + output());
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    List<String> lines() {
        return lines;
    }

    String output() {
        return String.join("\n", lines);
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        out.close();
    }
}
