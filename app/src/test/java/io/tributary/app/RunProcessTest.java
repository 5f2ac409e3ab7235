package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.net.FreePort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tributary run} in its own JVM, as a user or a service manager runs it. */
class RunProcessTest {

    @TempDir
    Path folder;

    @Test
    @Timeout(60)
    void runLogsEachListenerAndStopsGracefullyOnSigterm() throws Exception {
        Path file = Files.writeString(folder.resolve("tributary.yaml"), """
                broker:
                  listeners:
                    - { type: tcp, port: 0, name: mqtt }
                    - { type: websocket, port: 0, name: ws }
                """);
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--config", file.toString())
                .redirectErrorStream(true)
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            readUntil(out, lines, "started with");

            process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output

            readUntil(out, lines, null);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running: " + lines);
        } finally {
            process.destroyForcibly();
        }

        assertEquals(0, process.exitValue(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("listening on tcp 127.0.0.1:")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("listening on websocket 127.0.0.1:")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("stopped;")), String.join("\n", lines));
    }

    @Test
    @Timeout(60)
    void verboseLogsAtDebugLevel() throws Exception {
        Path file = Files.writeString(folder.resolve("tributary.yaml"), """
                broker:
                  listeners:
                    - { type: tcp, port: 0 }
                """);
        try (TributaryProcess tributary = TributaryProcess.onClassPath("run", "-v", "--config", file.toString())) {
            tributary.awaitLine("started with");

            assertEquals(0, tributary.stop(), tributary.output());
            assertTrue(tributary.lines().stream().anyMatch(l -> l.contains(" DEBUG ")), tributary.output());
        }
    }

    @Test
    @Timeout(60)
    void logLevelWarnLeavesOutTheInfoLines() throws Exception {
        int port = FreePort.onLoopback();
        Path file = Files.writeString(folder.resolve("tributary.yaml"), """
                broker:
                  listeners:
                    - { type: tcp, host: 127.0.0.1, port: %d }
                """.formatted(port));
        try (TributaryProcess tributary = TributaryProcess.onClassPath("run", "--log-level", "warn",
                "--config", file.toString())) {
            // The listener logs "listening on" at INFO when it binds the port.
            Await.until(Duration.ofSeconds(30), "the MQTT port open", () -> accepts(port));

            // Its exit code is not checked: SIGTERM may come before `run` handles signals, and nothing says when.
            tributary.stop();
            assertTrue(tributary.lines().stream().noneMatch(l -> l.contains(" INFO ")), tributary.output());
        }
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads lines until one contains {@code marker}, or to the end when it is null. */
    private static void readUntil(BufferedReader out, List<String> lines, String marker) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
            if (marker != null && line.contains(marker)) {
                return;
            }
        }
        assertTrue(marker == null, "no line with '" + marker + "' in: " + lines);
    }
}
