package io.tributary.testsupport.mosquitto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's Mosquitto programs ({@code mosquitto_passwd}, {@code mosquitto_pub}, {@code mosquitto}) for
 * tests that compare with the real thing. Tests skip themselves when {@link #installed} says no.
 */
public final class MosquittoTools {

    /** What a program printed (standard output and error together) and how it exited. */
    public record Result(int exitCode, String output) {
    }

    private MosquittoTools() {
    }

    /** True if {@code binary} is on the usual paths of a Debian install. */
    public static boolean installed(String binary) {
        return Files.isExecutable(Path.of("/usr/bin", binary)) || Files.isExecutable(Path.of("/usr/sbin", binary))
                || Files.isExecutable(Path.of("/usr/local/bin", binary))
                || Files.isExecutable(Path.of("/usr/local/sbin", binary));
    }

    /** Runs {@code command} with nothing on standard input; fails if it runs longer than {@code timeout}. */
    public static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not exit within " + timeout);
        }
        return new Result(process.exitValue(), output.join());
    }

    /** Runs {@code mosquitto} with a password file on a free loopback port; anonymous clients are refused. */
    public static MosquittoBroker startBroker(Path directory, Path passwordFile) throws IOException {
        return MosquittoBroker.start(directory, passwordFile);
    }

    static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
