package io.tributary.it.support;

import io.tributary.testsupport.process.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A {@link TestTributary} in a JVM of its own, for tests that {@code kill -9} it: started with a data directory and
 * the YAML of its routes, ready once it prints its MQTT port. It exits when its standard input ends, so it never
 * outlives the test JVM.
 */
public final class TributaryChild implements AutoCloseable {

    private static final String READY = "TRIBUTARY-CHILD-READY ";

    private final ChildProcess process;
    private final int mqttPort;

    private TributaryChild(ChildProcess process) {
        this.process = process;
        this.mqttPort = Integer.parseInt(process.readyLine());
    }

    /** Starts the child with {@code yaml} (its {@code data-directory} is added) and waits until it is ready. */
    public static TributaryChild start(String name, Path dataDirectory, String yaml, Path workDirectory) {
        try {
            Files.createDirectories(workDirectory);
            Path config = workDirectory.resolve(name + ".yaml");
            Files.writeString(config, yaml, StandardCharsets.UTF_8);
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path args = workDirectory.resolve("classpath.args");
            Files.writeString(args, "-cp \"" + classPath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n",
                    StandardCharsets.UTF_8);
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "@" + args, TributaryChild.class.getName(), dataDirectory.toString(), config.toString());
            return new TributaryChild(ChildProcess.start(name, command, workDirectory.resolve(name + ".log"), null,
                    READY, Duration.ofSeconds(60)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int mqttPort() {
        return mqttPort;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, like {@code kill -9}: nothing is flushed or closed. */
    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.stop(Duration.ofSeconds(30));
        }
    }

    /** The child: {@code DATA-DIRECTORY CONFIG-FILE}. */
    public static void main(String[] args) throws Exception {
        String yaml = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8);
        try (TestTributary tributary = TestTributary.start(Path.of(args[0]), yaml)) {
            System.out.println(READY + tributary.mqttPort());
            System.out.flush();
            while (System.in.read() != -1) {
                // Runs until the parent closes the pipe or kills this process.
            }
        }
    }
}
