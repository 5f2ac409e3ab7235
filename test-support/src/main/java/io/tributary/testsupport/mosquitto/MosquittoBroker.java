package io.tributary.testsupport.mosquitto;

import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.net.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Mosquitto broker for one test, on 127.0.0.1: with a password file and no anonymous clients, or allowing
 * anonymous ones. It runs as the current user ({@code user} in its configuration), so that it can read a file only
 * its owner may read. It can be killed like {@code kill -9} and started again on the same port with the same
 * configuration, as a broker that crashed and came back; with {@link Builder#persistence()} it keeps its sessions
 * and queued messages across that. It can be paused ({@code kill -STOP}) as a broker that hangs.
 */
public final class MosquittoBroker implements AutoCloseable {

    private final Path config;
    private final int port;
    private final Path log;
    private Process process;

    private MosquittoBroker(Path config, int port, Path log) {
        this.config = config;
        this.port = port;
        this.log = log;
    }

    static MosquittoBroker start(Path directory, Path passwordFile) throws IOException {
        return builder(directory).passwordFile(passwordFile).start();
    }

    /** A broker whose configuration, log and data go in {@code directory}. */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** How the broker is set up; {@link #start()} starts it. */
    public static final class Builder {
        private final Path directory;
        private int port;
        private Path passwordFile;
        private boolean persistence;
        private List<String> tls = List.of();

        private Builder(Path directory) {
            this.directory = directory;
        }

        /** The port to listen on, kept across {@link MosquittoBroker#restart()}; a free one when not given. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Only the users of this file (written by {@code mosquitto_passwd}) may connect. */
        public Builder passwordFile(Path passwordFile) {
            this.passwordFile = passwordFile;
            return this;
        }

        /** Anyone may connect without a user name: the default without {@link #passwordFile}. */
        public Builder allowAnonymous() {
            this.passwordFile = null;
            return this;
        }

        /**
         * Keeps sessions, subscriptions and queued messages in a file in the directory, written at every change, so
         * that a {@link MosquittoBroker#kill()} loses none of them.
         */
        public Builder persistence() {
            this.persistence = true;
            return this;
        }

        /**
         * Serves TLS only, with the server certificate {@code certFile} and its key {@code keyFile} (PEM), and
         * demands a client certificate signed by an authority of {@code caFile}.
         */
        public Builder tlsRequiringClientCertificate(Path caFile, Path certFile, Path keyFile) {
            this.tls = List.of("cafile " + caFile.toAbsolutePath(), "certfile " + certFile.toAbsolutePath(),
                    "keyfile " + keyFile.toAbsolutePath(), "require_certificate true");
            return this;
        }

        /** Writes the configuration and starts the broker, returning once it listens. */
        public MosquittoBroker start() {
            int chosen = port == 0 ? FreePort.onLoopback() : port;
            List<String> lines = new ArrayList<>(List.of("listener " + chosen + " 127.0.0.1",
                    "user " + System.getProperty("user.name")));
            lines.addAll(tls);
            if (passwordFile == null) {
                lines.add("allow_anonymous true");
            } else {
                lines.add("allow_anonymous false");
                lines.add("password_file " + passwordFile.toAbsolutePath());
            }
            if (persistence) {
                lines.addAll(List.of("persistence true", "persistence_location " + directory.toAbsolutePath() + "/",
                        "persistence_file mosquitto-" + chosen + ".db", "autosave_on_changes true",
                        "autosave_interval 1"));
            }
            lines.add("");
            try {
                Path config = Files.writeString(directory.resolve("mosquitto-" + chosen + ".conf"),
                        String.join("\n", lines));
                MosquittoBroker broker = new MosquittoBroker(config, chosen,
                        directory.resolve("mosquitto-" + chosen + ".log"));
                broker.launch();
                return broker;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public int port() {
        return port;
    }

    /** The process id of the running broker. */
    public synchronized long pid() {
        return process.pid();
    }

    /** Whether the broker's process runs. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the broker with SIGKILL, as {@code kill -9 PID} does: no clean shutdown, no goodbye to its clients. */
    public synchronized void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("mosquitto (pid " + process.pid() + ") did not die within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing mosquitto", e);
        }
    }

    /** Stops the broker's process ({@code kill -STOP}): its connections stay open, and it answers nothing. */
    public void pause() {
        signal("STOP");
    }

    /** Lets a {@link #pause()}d broker go on ({@code kill -CONT}). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while signalling mosquitto", e);
        }
    }

    /** Starts the broker again with the same configuration on the same port, returning once it listens. */
    public synchronized void restart() {
        if (isRunning()) {
            throw new IllegalStateException("mosquitto still runs (pid " + process.pid() + "); kill or close it first");
        }
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What Mosquitto logged so far, over every start. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            // A paused broker would not act on SIGTERM.
            resume();
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void launch() throws IOException {
        Process started = new ProcessBuilder(List.of("mosquitto", "-c", config.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        process = started;
        try {
            Await.until(Duration.ofSeconds(10), "mosquitto listening on " + port, () -> {
                if (!started.isAlive()) {
                    throw new AssertionError("mosquitto exited: " + log());
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
    }
}
