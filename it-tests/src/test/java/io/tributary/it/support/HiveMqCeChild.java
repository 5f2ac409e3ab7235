package io.tributary.it.support;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.tributary.testsupport.hivemq.HiveMqHome;
import io.tributary.testsupport.net.FreePort;
import io.tributary.testsupport.process.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ CE (the embedded edition) as an external broker, in a JVM of its own: its Guice, Guava and Xodus stay out of
 * the test JVM, and {@link #pause()} can stop it like {@code kill -STOP} without stopping the test. One TCP listener
 * on a free loopback port, persistence in memory, usage statistics off. It exits when its standard input ends, so it
 * never outlives the test JVM.
 */
public final class HiveMqCeChild implements AutoCloseable {

    private static final String READY = "HIVEMQ-CE-CHILD-READY ";

    private final ChildProcess process;
    private final int port;

    private HiveMqCeChild(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts HiveMQ CE with its folders under {@code home} and waits until it listens. */
    public static HiveMqCeChild start(Path home) {
        int port = FreePort.onLoopback();
        try {
            Files.createDirectories(home);
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path args = home.resolve("classpath.args");
            Files.writeString(args, "-cp \"" + classPath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n",
                    StandardCharsets.UTF_8);
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "@" + args, HiveMqCeChild.class.getName(), Integer.toString(port),
                    home.toAbsolutePath().toString());
            return new HiveMqCeChild(ChildProcess.start("hivemq-ce", command, home.resolve("hivemq-ce.log"), null,
                    READY, Duration.ofSeconds(90)), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Stops the broker's process ({@code kill -STOP}): its connections stay open, and it answers nothing. */
    public void pause() {
        Signals.send("STOP", process.pid());
    }

    /** Lets a {@link #pause()}d broker go on ({@code kill -CONT}). */
    public void resume() {
        Signals.send("CONT", process.pid());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            Signals.send("CONT", process.pid());
            process.stop(Duration.ofSeconds(30));
        }
    }

    /** The child: {@code PORT HOME}. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path home = Path.of(args[1]);
        Path conf = HiveMqHome.write(home, port);
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"))
                .build();
        hivemq.start().get(60, TimeUnit.SECONDS);
        System.out.println(READY + port);
        System.out.flush();
        while (System.in.read() != -1) {
            // Runs until the parent closes the pipe or kills this process.
        }
        hivemq.stop().get(10, TimeUnit.SECONDS);
        System.exit(0);
    }
}
