package io.tributary.broker.mosquitto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code mosquitto_pub} and {@code mosquitto_sub} (Debian's mosquitto-clients) against a test broker.
 * Tests are skipped only if the binary is missing.
 */
final class MosquittoProcess implements AutoCloseable {
    /** The prefix of each message line {@code mosquitto_sub} prints with {@link #MESSAGE_FORMAT}. */
    static final String MESSAGE = "MSG|";
    /** topic | qos | retained flag | user properties | payload. */
    static final String MESSAGE_FORMAT = MESSAGE + "%t|%q|%r|%P|%p";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();

    private MosquittoProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "mosquitto-output");
        reader.setDaemon(true);
        reader.start();
    }

    static void assumeInstalled(String binary) {
        boolean found = Files.isExecutable(Path.of("/usr/bin", binary)) || Files.isExecutable(Path.of("/usr/local/bin", binary));
        Assumptions.assumeTrue(found, binary + " is not installed (Debian package mosquitto-clients)");
    }

    static MosquittoProcess start(String binary, List<String> arguments) throws IOException {
        assumeInstalled(binary);
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/stdbuf"))) {
            // mosquitto_sub block-buffers stdout into a pipe: line buffering lets us see SUBACK and messages live.
            command.addAll(List.of("/usr/bin/stdbuf", "-oL"));
        }
        command.add(binary);
        command.addAll(arguments);
        return new MosquittoProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Runs {@code mosquitto_pub} with {@code arguments} and fails unless it exits 0 within 5 s. */
    static void publish(int port, String... arguments) throws Exception {
        List<String> all = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(port)));
        all.addAll(List.of(arguments));
        try (MosquittoProcess pub = start("mosquitto_pub", all)) {
            pub.assertExitsZeroWithin(5);
        }
    }

    /**
     * Starts {@code mosquitto_sub} printing debug lines and {@link #MESSAGE_FORMAT}, and waits for its SUBACK
     * so that the caller may publish.
     */
    static MosquittoProcess subscribed(int port, String... arguments) throws Exception {
        List<String> all = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(port), "-d",
                "-F", MESSAGE_FORMAT));
        all.addAll(List.of(arguments));
        MosquittoProcess sub = start("mosquitto_sub", all);
        try {
            sub.awaitLine(line -> line.contains("SUBACK"), 5);
        } catch (AssertionError | InterruptedException e) {
            sub.close(); // the caller never gets it to close
            throw e;
        }
        return sub;
    }

    /** The next message line, split as topic, qos, retained, user properties, payload. */
    String[] nextMessage(int seconds) throws InterruptedException {
        String line = awaitLine(l -> l.startsWith(MESSAGE), seconds);
        return line.substring(MESSAGE.length()).split("\\|", 5);
    }

    String awaitLine(java.util.function.Predicate<String> wanted, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("mosquitto gave no expected line within " + seconds + " s; output so far: "
                        + transcript);
            }
            transcript.add(line);
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    void assertExitsZeroWithin(int seconds) throws InterruptedException {
        boolean exited = process.waitFor(seconds, TimeUnit.SECONDS);
        List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        transcript.addAll(rest);
        assertTrue(exited, "mosquitto did not exit within " + seconds + " s; output: " + transcript);
        assertEquals(0, process.exitValue(), "exit code; output: " + transcript);
    }

    /** The exit code, once the process ends within {@code seconds}; fails if it does not. */
    int exitCodeWithin(int seconds) throws InterruptedException {
        boolean exited = process.waitFor(seconds, TimeUnit.SECONDS);
        List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        transcript.addAll(rest);
        assertTrue(exited, "mosquitto did not exit within " + seconds + " s; output: " + transcript);
        return process.exitValue();
    }

    /** What the process printed so far, as far as it was read. */
    List<String> transcript() {
        return List.copyOf(transcript);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
