package io.tributary.connectors.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, {@code process.roles=broker,controller}) run inside this JVM, for
 * tests and for Tributary's {@code kafka: embedded} development mode.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDirectory(dir).build()) {
 *     kafka.start();
 *     kafka.createTopic("telemetry", 3);
 *     ... producers and consumers on kafka.bootstrapServers() ...
 *     kafka.stop();
 *     kafka.start();   // same ports, same data
 * }
 * }</pre>
 *
 * <p>It listens on 127.0.0.1 only, with PLAINTEXT and no authentication. The storage is formatted on the first
 * start and kept in the data directory, so a later start with the same directory, in this object or in a new
 * one, finds the topics and records again. Ports given as 0 are chosen on the first start and kept for every
 * restart of this object.
 *
 * <p>Know before embedding it: Kafka keeps some process-wide state (its Yammer metrics registry, JMX beans), and
 * on a fatal internal error (such as a metadata log it cannot write) it halts the whole JVM, as the real server
 * does. Tests that must survive that, or must kill Kafka with {@code kill -9}, run {@link EmbeddedKafkaMain} in
 * a child JVM instead.
 *
 * <p>Thread-safe: lifecycle methods are serialised on this object.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final Path dataDirectory;
    private final boolean ownsDataDirectory;
    private final int nodeId;
    private final Map<String, String> overrides;
    private final Duration startTimeout;
    private int port;
    private int controllerPort;
    private KafkaRaftServer server;
    private Admin admin;

    private EmbeddedKafka(Builder builder) {
        if (builder.dataDirectory == null) {
            try {
                this.dataDirectory = Files.createTempDirectory("embedded-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a temporary data directory for Kafka", e);
            }
            this.ownsDataDirectory = true;
        } else {
            this.dataDirectory = builder.dataDirectory.toAbsolutePath();
            this.ownsDataDirectory = false;
        }
        this.nodeId = builder.nodeId;
        this.overrides = Map.copyOf(builder.overrides);
        this.startTimeout = builder.startTimeout;
        this.port = builder.port;
        this.controllerPort = builder.controllerPort;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory if it is new, starts the broker and its controller, and returns once an admin
     * client sees the cluster. Does nothing if already running.
     *
     * @throws EmbeddedKafkaException if Kafka cannot start (a port in use, an invalid {@link Builder#property}
     *         setting, a directory formatted for another node id)
     */
    public synchronized EmbeddedKafka start() {
        if (server != null) {
            return this;
        }
        long startedAt = System.nanoTime();
        if (port == 0) {
            port = FreePort.pick();
        }
        if (controllerPort == 0) {
            controllerPort = FreePort.pickOtherThan(port);
        }
        // Kafka would find a taken port too, but only after starting its controller, and would report it with
        // a stack trace of a hundred lines.
        FreePort.requireFree(port, "client port");
        FreePort.requireFree(controllerPort, "controller port");
        Properties properties = KraftServerProperties.singleNode(nodeId, dataDirectory, port, controllerPort, overrides);
        KafkaConfig config;
        try {
            config = KafkaConfig.fromProps(properties, false);
        } catch (ConfigException e) {
            throw new EmbeddedKafkaException("Invalid Kafka setting: " + e.getMessage(), e);
        }
        KraftStorage.formatIfNew(config, dataDirectory);
        KafkaRaftServer starting;
        try {
            // Reads and checks meta.properties: a directory formatted for another node id fails here.
            starting = new KafkaRaftServer(config, Time.SYSTEM);
        } catch (RuntimeException e) {
            throw new EmbeddedKafkaException("Kafka cannot use " + dataDirectory + ": " + e.getMessage(), e);
        }
        try {
            starting.startup();
            server = starting;
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) startTimeout.toMillis()));
            awaitCluster();
        } catch (RuntimeException e) {
            shutDown(starting);
            server = null;
            throw e instanceof EmbeddedKafkaException ? e
                    : new EmbeddedKafkaException("Kafka did not start on " + bootstrapServers() + ": " + e.getMessage(), e);
        }
        LOG.info("Kafka started on {} (data in {}) in {} ms", bootstrapServers(), dataDirectory,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        return this;
    }

    /** Stops Kafka cleanly (a controlled shutdown that flushes the logs) and releases its ports. Keeps the data. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long stoppingAt = System.nanoTime();
        shutDown(server);
        server = null;
        LOG.info("Kafka on {} stopped in {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppingAt));
    }

    /** Stops Kafka and, if the data directory was a temporary one made by this object, deletes it. */
    @Override
    public synchronized void close() {
        stop();
        if (ownsDataDirectory) {
            deleteRecursively(dataDirectory);
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * {@code 127.0.0.1:port}, for {@code bootstrap.servers}.
     *
     * @throws IllegalStateException before the first start if the port was left for Kafka to choose
     */
    public synchronized String bootstrapServers() {
        return "127.0.0.1:" + port();
    }

    /** The client port. @throws IllegalStateException before the first start if it was left for Kafka to choose */
    public synchronized int port() {
        if (port == 0) {
            throw new IllegalStateException("The port is chosen on the first start");
        }
        return port;
    }

    /** The KRaft controller's port, which clients never need. */
    public synchronized int controllerPort() {
        if (controllerPort == 0) {
            throw new IllegalStateException("The controller port is chosen on the first start");
        }
        return controllerPort;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Creates a topic with replication factor 1 and returns once every partition has a leader, so that a producer
     * started next is not told the partition is unknown. A topic that already exists is waited for, not
     * re-created, whatever its partition count.
     */
    public synchronized void createTopic(String name, int partitions) {
        Admin running = runningAdmin();
        try {
            running.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
                    .get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new EmbeddedKafkaException("Cannot create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new EmbeddedKafkaException("Topic " + name + " was not created within " + startTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while creating topic " + name, e);
        }
        awaitLeaders(running, name);
    }

    private Admin runningAdmin() {
        if (server == null) {
            throw new IllegalStateException("Kafka is not running");
        }
        return admin;
    }

    /** KafkaRaftServer.startup() returns once the broker is unfenced; this checks that a client can get in too. */
    private void awaitCluster() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            try {
                if (!admin.describeCluster().nodes().get(startTimeout.toMillis(), TimeUnit.MILLISECONDS).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new EmbeddedKafkaException("No client could reach Kafka on " + bootstrapServers()
                            + " within " + startTimeout, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedKafkaException("Interrupted while waiting for Kafka to start", e);
            }
            pause();
        }
    }

    private void awaitLeaders(Admin running, String topic) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            try {
                TopicDescription description = running.describeTopics(Set.of(topic)).allTopicNames()
                        .get(startTimeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
                if (description.partitions().stream().map(TopicPartitionInfo::leader)
                        .allMatch(leader -> leader != null && !leader.isEmpty())) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // The broker's metadata cache may not know the topic yet (UnknownTopicOrPartition): look again.
                if (System.nanoTime() > deadline) {
                    throw new EmbeddedKafkaException("Topic " + topic + " has no leader within " + startTimeout, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedKafkaException("Interrupted while waiting for topic " + topic, e);
            }
            if (System.nanoTime() > deadline) {
                throw new EmbeddedKafkaException("Topic " + topic + " has no leader within " + startTimeout);
            }
            pause();
        }
    }

    private void shutDown(KafkaRaftServer stopping) {
        if (admin != null) {
            admin.close(Duration.ZERO);
            admin = null;
        }
        stopping.shutdown();
        stopping.awaitShutdown();
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while waiting for Kafka", e);
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
            LOG.warn("Could not delete Kafka's temporary data directory {}: {}", directory, e.toString());
        }
    }

    /** Settings for an {@link EmbeddedKafka}; every one has a default. */
    public static final class Builder {
        private Path dataDirectory;
        private int port;
        private int controllerPort;
        private int nodeId = 1;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /**
         * Where Kafka keeps its logs and metadata; created if missing, formatted if new. Default: a temporary
         * directory, deleted by {@link EmbeddedKafka#close()} (but not by {@link EmbeddedKafka#stop()}).
         */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        /** The client port on 127.0.0.1; 0 (the default) picks a free one on the first start. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** The KRaft controller's port on 127.0.0.1; 0 (the default) picks a free one on the first start. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort);
            return this;
        }

        /** Kafka's {@code node.id}, written into the data directory when it is formatted. Default 1. */
        public Builder nodeId(int nodeId) {
            if (nodeId < 0) {
                throw new IllegalArgumentException("nodeId must not be negative: " + nodeId);
            }
            this.nodeId = nodeId;
            return this;
        }

        /**
         * A broker setting to add or override (for example {@code log.retention.ms}). The listeners, node id,
         * roles and directories are this class's to set and cannot be overridden.
         */
        public Builder property(String key, String value) {
            if (KraftServerProperties.RESERVED.contains(key)) {
                throw new IllegalArgumentException(key + " is set by EmbeddedKafka itself");
            }
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** How long {@code start()} and {@code createTopic} wait before failing. Default 60 s. */
        public Builder startTimeout(Duration startTimeout) {
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
            }
            this.startTimeout = startTimeout;
            return this;
        }

        public EmbeddedKafka build() {
            if (port != 0 && port == controllerPort) {
                throw new IllegalArgumentException("port and controllerPort must differ: " + port);
            }
            return new EmbeddedKafka(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("Not a port: " + port);
            }
            return port;
        }
    }
}
