package io.tributary.app;

import io.tributary.bridge.config.TributaryConfig;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerStats;
import io.tributary.broker.ClusterConfig;
import io.tributary.cluster.KafkaCluster;
import io.tributary.routes.BridgeStartException;
import io.tributary.routes.TributaryBridge;
import io.tributary.storage.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker and its routes as started by {@code tributary run}, stopped gracefully within a time limit, in
 * the order that loses nothing: the routes reading from Kafka and from external MQTT brokers (committing and
 * acknowledging what they delivered), then the broker (no device message enters after that), then the routes into
 * the sinks, which finish the deliveries in flight and flush their producers, then the embedded Kafka. The broker logs one line per listener ({@code listening on tcp 127.0.0.1:1883 (tcp-1883)}).
 * {@link #stop()} may be called from any thread, any number of times.
 */
final class RunningTributary {

    /** How long a graceful stop may take before the process exits anyway. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(RunningTributary.class);

    /** The broker or a route could not start, most often because a port is taken; the message says which. */
    static final class StartFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        StartFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** How often {@link #reloadRoutesOnChange} checks the file. */
    static final Duration RELOAD_CHECK_INTERVAL = Duration.ofSeconds(1);

    private final Broker broker;
    private final TributaryBridge bridge;
    private final EmbeddedDatabases databases;
    /** This node's part in a cluster, or null for a single node. */
    private final KafkaCluster cluster;
    private volatile ConfigFileWatcher watcher;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private RunningTributary(Broker broker, TributaryBridge bridge, EmbeddedDatabases databases,
                             KafkaCluster cluster) {
        this.broker = broker;
        this.bridge = bridge;
        this.databases = databases;
        this.cluster = cluster;
    }

    /**
     * Starts the routes, then opens the broker's listeners: a device can only connect once every route has
     * subscribed, so no message is acknowledged in a gap before its route runs. Every listener is bound and
     * every route started when this returns.
     */
    static RunningTributary start(TributaryConfig config) throws StartFailedException {
        try {
            // Created here first, so that every folder and file below it is the owner's only.
            OwnerOnlyFiles.createDirectories(config.dataDirectory());
        } catch (IOException e) {
            throw new StartFailedException("cannot create the data directory " + config.dataDirectory() + ": " + e, e);
        }
        // In a cluster, the topics are checked and the log's positions set before any route or listener starts
        // (design §4.10), so that every command a route publishes from now on reaches this node's devices.
        KafkaCluster cluster = config.cluster().isPresent() ? startCluster(config.cluster().get()) : null;
        Broker broker;
        try {
            // Loads the auth plugins and the ACL file: one that cannot be used is a start failure naming it.
            broker = Broker.builder().config(config.broker()).cluster(cluster).build();
        } catch (IllegalArgumentException e) {
            closeCluster(cluster);
            throw new StartFailedException(e.getMessage(), e);
        }
        // Before the routes' pools: the first to open a database decides that others may read it.
        EmbeddedDatabases databases = EmbeddedDatabases.open(config, System.getenv());
        TributaryBridge bridge;
        try {
            bridge = TributaryBridge.start(config, broker);
        } catch (BridgeStartException e) {
            broker.close();
            databases.close();
            closeCluster(cluster);
            throw new StartFailedException(e.getMessage(), e);
        }
        try {
            broker.start().get();
        } catch (ExecutionException e) {
            bridge.close();
            databases.close();
            closeCluster(cluster);
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            throw new StartFailedException(String.valueOf(cause.getMessage()), cause);
        } catch (InterruptedException e) {
            bridge.close();
            databases.close();
            closeCluster(cluster);
            Thread.currentThread().interrupt();
            throw new StartFailedException("interrupted while starting", e);
        }
        return new RunningTributary(broker, bridge, databases, cluster);
    }

    /** Builds this node's Kafka clients, then creates or checks the cluster's topics and sets the log's positions. */
    private static KafkaCluster startCluster(ClusterConfig settings) throws StartFailedException {
        KafkaCluster cluster;
        try {
            cluster = KafkaCluster.create(settings);
        } catch (IllegalArgumentException e) {
            throw new StartFailedException(e.getMessage(), e);
        }
        try {
            cluster.start();
        } catch (RuntimeException e) { // a topic that cannot be used or made, a Kafka that does not answer
            cluster.close();
            throw new StartFailedException("cluster node " + settings.node() + " cannot start on the Kafka "
                    + "connection '" + settings.kafkaConnection() + "': " + e.getMessage(), e);
        }
        return cluster;
    }

    private static void closeCluster(KafkaCluster cluster) {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * Reloads the routes whenever the content of {@code file} changes, checking it every {@code interval},
     * until {@link #stop()}.
     *
     * @param started the configuration this was started with, read from {@code file}
     */
    void reloadRoutesOnChange(Path file, Map<String, String> environment, TributaryConfig started,
                              Duration interval) {
        watcher = new ConfigFileWatcher(file, interval, new ConfigReload(file, environment, started, bridge));
        LOG.info("Routes are reloaded when {} changes", file);
    }

    /** The routes, for tests. */
    TributaryBridge bridge() {
        return bridge;
    }

    /** The port a listener is bound to; the chosen one for port 0. */
    int boundPort(String listenerName) {
        return broker.boundPort(listenerName);
    }

    /** Stops gracefully, waiting up to {@link #STOP_TIMEOUT}; later calls wait for the first one to finish. */
    void stop() {
        if (!stopRequested.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        LOG.info("stopping");
        ConfigFileWatcher reloads = watcher;
        if (reloads != null) {
            reloads.close();
        }
        try {
            bridge.stopExternalSources();
            broker.stop().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            BrokerStats stats = broker.stats();
            LOG.info("broker stopped; {} messages received, {} sent", stats.messagesReceived(), stats.messagesSent());
        } catch (TimeoutException e) {
            LOG.warn("the broker did not stop within {} seconds; exiting anyway", STOP_TIMEOUT.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("the broker failed while stopping: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // After the broker: the last checkpoint covers what its sessions took.
            closeCluster(cluster);
            bridge.close();
            databases.close();
            stopped.countDown();
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
