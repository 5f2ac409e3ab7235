package io.tributary.it.kafka;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;

import io.tributary.connectors.kafka.EmbeddedKafkaMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker (KRaft, single node) in a child JVM, for integration tests: {@link #shared()} for the
 * ordinary test, {@link #startDedicated(String)} for one that stops or kills Kafka.
 *
 * <p>The child runs {@link EmbeddedKafkaMain} on this JVM's test classpath. It is stopped by its own PID only:
 * {@link #stop()} sends SIGTERM (a clean, controlled shutdown), {@link #kill()} sends SIGKILL, like
 * {@code kill -9}. Either way {@link #start()} brings it back on the same ports with the same data. If this JVM
 * dies without stopping it, the child sees its standard input close and exits by itself.
 *
 * <p>Its output goes to {@code target/kafka/NAME.log}; its data to {@code target/kafka/NAME/}, deleted by
 * {@link #close()}.
 */
public final class KafkaServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final AtomicInteger DEDICATED = new AtomicInteger();
    private static final Path ROOT = Path.of("target", "kafka").toAbsolutePath();
    private static final Logger LOG = LoggerFactory.getLogger(KafkaServer.class);

    private static KafkaServer shared;

    private final String name;
    private final Path dataDirectory;
    private final Path logFile;
    private final int port;
    private final int controllerPort;
    private Process process;
    private Admin admin;

    private KafkaServer(String name) {
        this.name = name;
        this.dataDirectory = ROOT.resolve(name);
        this.logFile = ROOT.resolve(name + ".log");
        this.port = freePort();
        int controller = freePort();
        while (controller == port) {
            controller = freePort();
        }
        this.controllerPort = controller;
        // A name is unique in this JVM, but a JVM that died long ago may have had the same PID.
        deleteRecursively(dataDirectory);
        try {
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The Kafka that every test class of this JVM shares, started on first use and stopped when the JVM exits.
     * Tests sharing it must not stop it, and keep apart by topic: see {@link #uniqueTopic(String)}.
     */
    public static synchronized KafkaServer shared() {
        if (shared == null) {
            KafkaServer server = new KafkaServer("shared-" + ProcessHandle.current().pid());
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "kafka-server-shutdown"));
            shared = server;
        }
        return shared;
    }

    /** A Kafka of the caller's own, for a test that stops, kills or restarts it. Close it at the end. */
    public static KafkaServer startDedicated(String name) {
        KafkaServer server = new KafkaServer(name + "-" + ProcessHandle.current().pid() + "-" + DEDICATED.incrementAndGet());
        server.start();
        return server;
    }

    /** A topic name not used before in this JVM, so tests sharing a Kafka never see each other's records. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + TOPICS.incrementAndGet() + "-" + System.nanoTime();
    }

    /** Starts the child JVM (the first time, or again after {@link #stop()} or {@link #kill()}) and waits until clients can connect. */
    public synchronized KafkaServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        long startedAt = System.nanoTime();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Process child;
        try {
            Files.createDirectories(ROOT);
            child = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // Small and quick to start: C1 only, one GC thread. Kafka fits in far less than this heap.
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "@" + classPathArgumentFile(),
                    EmbeddedKafkaMain.class.getName(),
                    "--data-dir", dataDirectory.toString(),
                    "--port", Integer.toString(port),
                    "--controller-port", Integer.toString(controllerPort),
                    "--exit-on-stdin-eof"))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Kafka JVM", e);
        }
        Thread pump = new Thread(() -> pumpOutput(child, ready), "kafka-server-output-" + name);
        pump.setDaemon(true);
        pump.start();
        try {
            ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            child.destroyForcibly();
            throw new IllegalStateException("Kafka " + name + " did not start (see " + logFile + "): "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.toString()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroyForcibly();
            throw new IllegalStateException("Interrupted while starting Kafka", e);
        }
        process = child;
        LOG.info("Kafka {} ready on {} in {} ms (pid {})", name, bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), child.pid());
        return this;
    }

    /** Stops Kafka cleanly: SIGTERM to its PID, then waits for the process to end. */
    public synchronized void stop() {
        endProcess(false);
    }

    /** Kills Kafka like {@code kill -9}: SIGKILL to its PID, no shutdown at all, then waits for the process to end. */
    public synchronized void kill() {
        endProcess(true);
    }

    /** Stops Kafka and deletes its data; the log file stays for a look after a failure. */
    @Override
    public synchronized void close() {
        stop();
        deleteRecursively(dataDirectory);
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The child JVM's PID. @throws IllegalStateException if it is not running */
    public synchronized long pid() {
        if (!isRunning()) {
            throw new IllegalStateException("Kafka " + name + " is not running");
        }
        return process.pid();
    }

    /** {@code 127.0.0.1:port}: the same across restarts. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Creates a topic (replication factor 1) and returns once every partition has a leader. */
    public void createTopic(String topic, int partitions) {
        Admin client = admin();
        try {
            try {
                client.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
                        .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Cannot create topic " + topic, e.getCause());
                }
            }
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!hasLeaders(client, topic)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topic " + topic + " has no leader after " + START_TIMEOUT);
                }
                Thread.sleep(50);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Topic " + topic + " was not created within " + START_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic, e);
        }
    }

    private static boolean hasLeaders(Admin client, String topic) throws InterruptedException {
        try {
            return client.describeTopics(Set.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic)
                    .partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException | TimeoutException e) {
            return false; // the broker's metadata cache does not know the topic yet
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        }
        return admin;
    }

    private void endProcess(boolean forcibly) {
        if (admin != null) {
            admin.close(Duration.ZERO);
            admin = null;
        }
        if (process == null) {
            return;
        }
        long stoppingAt = System.nanoTime();
        long pid = process.pid();
        if (forcibly) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        LOG.info("Kafka {} (pid {}) {} in {} ms", name, pid, forcibly ? "killed" : "stopped",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppingAt));
        process = null;
    }

    private void pumpOutput(Process child, CompletableFuture<String> ready) {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, CREATE, APPEND)) {
            log.write("--- pid " + child.pid() + "\n");
            String line;
            while ((line = output.readLine()) != null) {
                log.write(line);
                log.write('\n');
                log.flush();
                if (line.startsWith(EmbeddedKafkaMain.READY_PREFIX)) {
                    ready.complete(line.substring(EmbeddedKafkaMain.READY_PREFIX.length()));
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("the Kafka JVM ended before it was ready"));
    }

    /**
     * The test classpath, as a java argument file: Linux caps one command-line argument at 128 KiB, which a
     * classpath of a few hundred jars can pass. Surefire starts tests with a manifest-only jar on
     * java.class.path and puts the real path in surefire.test.class.path.
     */
    private Path classPathArgumentFile() throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path file = ROOT.resolve(name + ".classpath");
        String quoted = "\"" + classPath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        Files.writeString(file, "-cp " + quoted + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + directory, e);
        }
    }
}
