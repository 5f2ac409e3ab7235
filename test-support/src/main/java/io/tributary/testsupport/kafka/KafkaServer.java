package io.tributary.testsupport.kafka;

import io.tributary.connectors.kafka.EmbeddedKafkaMain;
import io.tributary.testsupport.files.Directories;
import io.tributary.testsupport.net.FreePort;
import io.tributary.testsupport.process.ServerOptions;
import io.tributary.testsupport.process.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker (KRaft, single node, PLAINTEXT on 127.0.0.1) in a child JVM: {@link EmbeddedKafkaMain} on
 * this JVM's class path. {@link #shared()} for the ordinary test, {@link #startDedicated(String)} for one that
 * stops or kills Kafka, {@link #builder()} for full control (a benchmark's folder, JVM flags, PID file).
 *
 * <p>The child is ended by its own PID only: {@link #stop()} sends SIGTERM (a controlled shutdown), {@link #kill()}
 * SIGKILL; {@link #freeze()} and {@link #thaw()} send SIGSTOP and SIGCONT. Either way {@link #start()} brings it back on the same ports with the same data. If this JVM dies
 * without stopping it, the child sees its standard input close and exits by itself.
 *
 * <p>In its folder: {@code data/} (deleted by {@link #close()}), {@code kafka.log} (kept for a look after a
 * failure, appended to across restarts) and the class-path argument file.
 */
public final class KafkaServer implements AutoCloseable {
    /** Small and quick to start: C1 only, one GC thread. Kafka fits a test's load in far less than this heap. */
    public static final List<String> TEST_JVM_FLAGS =
            List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Path TEST_ROOT = Path.of("target", "kafka").toAbsolutePath();
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final AtomicInteger DEDICATED = new AtomicInteger();
    private static final Logger LOG = LoggerFactory.getLogger(KafkaServer.class);

    private static KafkaServer shared;

    private final String name;
    private final Path directory;
    private final List<String> jvmFlags;
    private final Duration timeout;
    private final int port;
    private final int controllerPort;
    private final ServerProcess process;
    private Admin admin;
    private boolean frozen;

    private KafkaServer(Builder builder) {
        this.name = builder.name;
        this.directory = Objects.requireNonNullElse(builder.directory(), TEST_ROOT.resolve(name)).toAbsolutePath();
        this.jvmFlags = List.copyOf(builder.jvmFlags);
        this.timeout = builder.timeout();
        this.process = new ServerProcess("kafka-" + name, logFile(), builder, EmbeddedKafkaMain.READY_PREFIX);
        this.port = builder.port > 0 ? builder.port : FreePort.onLoopback();
        this.controllerPort = builder.controllerPort > 0 ? builder.controllerPort : FreePort.onLoopbackExcept(port);
        // A name is unique in this JVM, but a JVM that died long ago may have had the same PID.
        Directories.deleteRecursively(dataDirectory());
        try {
            Files.deleteIfExists(logFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A builder of a Kafka of the caller's own; nothing starts before {@link Builder#start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The Kafka that every test class of this JVM shares, started on first use and stopped when the JVM exits.
     * Tests sharing it must not stop it, and keep apart by topic: see {@link #uniqueTopic(String)}.
     */
    public static synchronized KafkaServer shared() {
        if (shared == null) {
            KafkaServer server = builder().name("shared-" + ProcessHandle.current().pid()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "kafka-server-shutdown"));
            shared = server;
        }
        return shared;
    }

    /** A Kafka of the caller's own under {@code target/kafka/}, for a test that stops or kills it. Close it. */
    public static KafkaServer startDedicated(String name) {
        return builder().name(name + "-" + ProcessHandle.current().pid() + "-" + DEDICATED.incrementAndGet()).start();
    }

    /** A topic name not used before in this JVM, so tests sharing a Kafka never see each other's records. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + TOPICS.incrementAndGet() + "-" + System.nanoTime();
    }

    /** Starts the child JVM (first, or again after {@link #stop()} or {@link #kill()}); returns once clients can connect. */
    public synchronized KafkaServer start() {
        if (isRunning()) {
            return this;
        }
        long startedAt = System.nanoTime();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("@" + classPathArgumentFile());
        command.addAll(List.of(EmbeddedKafkaMain.class.getName(),
                "--data-dir", dataDirectory().toString(),
                "--port", Integer.toString(port),
                "--controller-port", Integer.toString(controllerPort),
                "--exit-on-stdin-eof"));
        process.start(command);
        LOG.info("Kafka {} ready on {} in {} ms (pid {})", name, bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), process.pid());
        return this;
    }

    /** Stops Kafka cleanly: SIGTERM to its PID (SIGKILL after 30 s), then waits for the process to end. */
    public synchronized void stop() {
        end(false);
    }

    /**
     * Freezes Kafka like {@code kill -STOP}: the process keeps its sockets open, so clients stay connected and
     * their requests wait unanswered, as with a broker stuck in a long pause, until {@link #thaw()}.
     */
    public synchronized void freeze() {
        signal("STOP");
        frozen = true;
    }

    /** Lets a {@link #freeze() frozen} Kafka run on, like {@code kill -CONT}. */
    public synchronized void thaw() {
        if (frozen) {
            signal("CONT");
            frozen = false;
        }
    }

    /** Kills Kafka like {@code kill -9}: SIGKILL to its PID, no shutdown at all, then waits for the process to end. */
    public synchronized void kill() {
        end(true);
    }

    /** Stops Kafka and deletes its data; the log file stays for a look after a failure. */
    @Override
    public synchronized void close() {
        stop();
        Directories.deleteRecursively(dataDirectory());
    }

    public boolean isRunning() {
        return process.isRunning();
    }

    /** The child JVM's PID. @throws IllegalStateException if it is not running */
    public long pid() {
        return process.pid();
    }

    /** {@code 127.0.0.1:port}: the same across restarts. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Where Kafka keeps its log segments and metadata. */
    public Path dataDirectory() {
        return directory.resolve("data");
    }

    /** The child JVM's output, appended to across restarts. */
    public Path logFile() {
        return directory.resolve("kafka.log");
    }

    /** The last lines of the child's output since its last start, for failure messages. */
    public String logTail(int lines) {
        return process.logTail(lines);
    }

    /** Creates a topic (one replica; an existing one is kept) and returns once every partition has a leader. */
    public void createTopic(String topic, int partitions) {
        Admin client = admin();
        try {
            try {
                client.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic, e.getCause());
                }
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!hasLeaders(client, topic)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " has no leader after " + timeout);
                }
                Thread.sleep(50);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic " + topic + " was not created within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
    }

    /** Deletes a topic, so that one run's data does not weigh on the next. */
    public void deleteTopic(String topic) {
        try {
            admin().deleteTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot delete topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting topic " + topic, e);
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
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()));
        }
        return admin;
    }

    private void signal(String signal) {
        long pid = process.pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send SIG" + signal + " to Kafka (pid " + pid + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal + " to Kafka", e);
        }
        LOG.info("Kafka {} (pid {}) sent SIG{}", name, pid, signal);
    }

    private void end(boolean forcibly) {
        // A stopped process takes no SIGTERM until it runs again.
        if (frozen && isRunning()) {
            thaw();
        }
        frozen = false;
        if (admin != null) {
            admin.close(Duration.ZERO);
            admin = null;
        }
        long stoppingAt = System.nanoTime();
        long pid = forcibly ? process.kill() : process.stop(STOP_GRACE);
        if (pid > 0) {
            LOG.info("Kafka {} (pid {}) {} in {} ms", name, pid, forcibly ? "killed" : "stopped",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppingAt));
        }
    }

    /**
     * The class path, as a java argument file: Linux caps one command-line argument at 128 KiB, which a class path
     * of a few hundred jars can pass. Surefire starts tests with a manifest-only jar on java.class.path and puts
     * the real path in surefire.test.class.path.
     */
    private Path classPathArgumentFile() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path file = directory.resolve("classpath.args");
        String quoted = "\"" + classPath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        try {
            Files.createDirectories(directory);
            Files.writeString(file, "-cp " + quoted + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * The options of a {@link KafkaServer}; every one has a default fit for a test. Its {@link #directory} holds
     * {@code data/} (deleted before the first start) and {@code kafka.log}; by default {@code target/kafka/NAME}.
     */
    public static final class Builder extends ServerOptions<Builder> {
        private String name = "kafka";
        private List<String> jvmFlags = TEST_JVM_FLAGS;
        private int port;
        private int controllerPort;

        private Builder() {
        }

        /** Names the log lines and, without a {@link #directory}, the folder {@code target/kafka/NAME}. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The child JVM's flags, in place of {@link #TEST_JVM_FLAGS} (heap, GC, JIT, system properties). */
        public Builder jvmFlags(List<String> jvmFlags) {
            this.jvmFlags = List.copyOf(jvmFlags);
            return this;
        }

        /** The client port and the controller port; free ones on 127.0.0.1 by default. */
        public Builder ports(int port, int controllerPort) {
            this.port = port;
            this.controllerPort = controllerPort;
            return this;
        }

        /** Starts the child JVM and returns once clients can connect. */
        public KafkaServer start() {
            return new KafkaServer(this).start();
        }
    }
}
