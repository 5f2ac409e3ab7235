package io.tributary.testsupport.mosquitto;

import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.net.FreePort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Mosquitto broker for one test, with a password file and no anonymous clients. It runs as the
 * current user ({@code user} in its configuration), so that it can read a file only its owner may read.
 */
public final class MosquittoBroker implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private MosquittoBroker(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static MosquittoBroker start(Path directory, Path passwordFile) throws IOException {
        int port = FreePort.onLoopback();
        Path config = directory.resolve("mosquitto-" + port + ".conf");
        Files.writeString(config, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + passwordFile.toAbsolutePath(),
                "user " + System.getProperty("user.name"),
                ""));
        Path log = directory.resolve("mosquitto-" + port + ".log");
        Process process = new ProcessBuilder(List.of("mosquitto", "-c", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MosquittoBroker broker = new MosquittoBroker(process, port, log);
        try {
            Await.until(Duration.ofSeconds(10), "mosquitto listening on " + port, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("mosquitto exited: " + broker.log());
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException | AssertionError e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public int port() {
        return port;
    }

    /** What Mosquitto logged so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
