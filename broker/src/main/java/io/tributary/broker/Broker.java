package io.tributary.broker;

import io.tributary.broker.auth.ConnectRefusals;
import io.tributary.broker.cluster.ClusterLink;
import io.tributary.broker.retained.InMemoryRetainedStore;
import io.tributary.broker.server.BrokerServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An embeddable MQTT 3.1.1 and 5.0 broker.
 *
 * <pre>{@code
 * try (Broker broker = Broker.builder().config(BrokerConfig.builder().build()).build()) {
 *     broker.start().join();
 *     broker.subscribe("sensors/#", SubscribeOptions.of(QoS.AT_LEAST_ONCE), message -> ...);
 *     broker.publish(Message.of("sensors/1", "21.5", QoS.AT_LEAST_ONCE, false)).join();
 * }
 * }</pre>
 *
 * Several brokers can run in one JVM; none uses global state.
 */
public final class Broker implements InProcessBroker, AutoCloseable {
    private final BrokerServer server;
    private final BrokerConfig config;

    private Broker(BrokerServer server, BrokerConfig config) {
        this.server = server;
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Restores the saved sessions and retained messages, if a state store is configured, then binds every
     * listener. Fails (and binds nothing) if the saved state cannot be read, or a listener cannot be bound.
     */
    public CompletableFuture<Broker> start() {
        return server.start().thenApply(ignored -> this);
    }

    /**
     * Stops: closes the listeners, tells MQTT 5 clients the server is shutting down, closes every
     * connection and stops the I/O threads. With a state store, it then saves the persistent sessions and
     * retained messages, and fails if they cannot be saved; and from the moment it is called, {@link #publish}
     * fails, so that nothing accepted misses the saved state. Calling it again returns the same future.
     */
    public CompletableFuture<Void> stop() {
        return server.stop();
    }

    /** The port a listener is bound to, useful with port 0. @throws IllegalArgumentException for an unknown name */
    public int boundPort(String listenerName) {
        return server.boundPort(listenerName);
    }

    /**
     * Publishes a message as if a client had, except that interceptors do not see it. Completes when every
     * matching subscriber took it (and those holding acknowledgements completed); waiting for it before
     * publishing more keeps a fast publisher from overrunning slow subscribers. Fails for an invalid topic.
     */
    @Override
    public CompletableFuture<Void> publish(Message message) {
        return server.publish(message);
    }

    /**
     * Subscribes {@code handler} to {@code filter} ({@code $share/group/filter} works too). Retained
     * messages are not replayed.
     *
     * @throws IllegalArgumentException if the filter is not valid
     */
    @Override
    public InProcessSubscription subscribe(String filter, SubscribeOptions options, MessageHandler handler) {
        return server.subscribe(filter, options, handler);
    }

    /**
     * What {@code user} may do under the access rules: asked by in-process callers acting for a user, such as
     * the HTTP API for a token's user. Decisions are remembered per user, as for a connection.
     */
    @Override
    public Permissions accessOf(String user) {
        Authorizer authorizer = server.authorizer();
        if (authorizer == Authorizer.ALLOW_ALL) {
            return Permissions.ALLOW_ALL;
        }
        return authorizer.forClient(new ClientInfo(user, user, null, "in-process", 5));
    }

    @Override
    public java.util.List<Message> retained(String filter) {
        io.tributary.broker.topic.TopicFilter.parse(filter);
        long now = System.currentTimeMillis();
        return server.retained().matching(filter).stream().filter(m -> !m.isExpiredAt(now)).toList();
    }

    /** The retained messages. */
    public RetainedStore retainedMessages() {
        return server.retained();
    }

    /**
     * Completes once the session of {@code clientId} has no client connection attached (at once if it has none,
     * or there is no such session): by then a closed connection's will is published or scheduled and messages
     * for the client are queued offline. A connection taking the session over keeps it attached.
     */
    public CompletableFuture<Void> whenDetached(String clientId) {
        return server.sessions().whenDetached(clientId);
    }

    /** Completes once no session has a client connection attached, at once if none has. */
    public CompletableFuture<Void> whenAllDetached() {
        return server.sessions().whenAllDetached();
    }

    /**
     * Goes over every session once, keeping the {@code limit} smallest ids after {@code after} in a bounded heap:
     * the answer is small whatever the number of clients.
     */
    @Override
    public ConnectedClients connectedClients(String after, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        java.util.PriorityQueue<ConnectedClient> largestFirst = new java.util.PriorityQueue<>(
                java.util.Comparator.comparing(ConnectedClient::clientId).reversed());
        int total = 0;
        for (io.tributary.broker.session.Session session : server.sessions().all()) {
            ConnectedClient client = session.connectedClient();
            if (client == null) {
                continue;
            }
            total++;
            if (limit == 0 || (after != null && client.clientId().compareTo(after) <= 0)) {
                continue;
            }
            largestFirst.add(client);
            if (largestFirst.size() > limit) {
                largestFirst.poll();
            }
        }
        List<ConnectedClient> page = new ArrayList<>(largestFirst);
        page.sort(java.util.Comparator.comparing(ConnectedClient::clientId));
        return new ConnectedClients(total, page);
    }

    @Override
    public boolean disconnectClient(String clientId) {
        io.tributary.broker.session.Session session = server.sessions().get(clientId);
        return session != null && session.disconnectByOperator();
    }

    /** A snapshot of the counters. */
    public BrokerStats stats() {
        return server.stats();
    }

    @Override
    public java.util.Map<String, Number> statsSnapshot() {
        BrokerStats stats = stats();
        java.util.Map<String, Number> values = new java.util.LinkedHashMap<>();
        values.put("connections", stats.connections());
        values.put("sessions", stats.sessions());
        values.put("messagesReceived", stats.messagesReceived());
        values.put("messagesSent", stats.messagesSent());
        for (QoS qos : QoS.values()) {
            values.put("messagesReceivedQos" + qos.value(), stats.messagesReceivedByQos().at(qos));
        }
        for (QoS qos : QoS.values()) {
            values.put("messagesSentQos" + qos.value(), stats.messagesSentByQos().at(qos));
        }
        values.put("bytesReceived", stats.bytesReceived());
        values.put("bytesSent", stats.bytesSent());
        values.put("droppedQos0", stats.droppedQos0());
        values.put("droppedQueueFull", stats.droppedQueueFull());
        values.put("droppedTooLarge", stats.droppedTooLarge());
        values.put("droppedNotAuthorized", stats.droppedNotAuthorized());
        values.put("expired", stats.expired());
        values.put("queued", stats.queued());
        values.put("queuedOnDisk", stats.queuedOnDisk());
        values.put("inFlight", stats.inFlight());
        values.put("retainedRefused", stats.retainedRefused());
        values.put("publishersPaused", stats.publishersPaused());
        values.put("stuckSubscribers", stats.stuckSubscribers());
        values.put("queueBudgetFull", stats.queueBudgetFull());
        values.put("queuedMemoryBytes", stats.queuedMemoryBytes());
        ConnectRefusals refusals = server.authRefusals();
        values.put("connectsRefusedBadCredentials", refusals.count(ConnectRefusals.Reason.BAD_CREDENTIALS));
        values.put("connectsRefusedNotAuthorized", refusals.count(ConnectRefusals.Reason.NOT_AUTHORIZED));
        values.put("connectsRefusedUnavailable", refusals.count(ConnectRefusals.Reason.UNAVAILABLE));
        return values;
    }

    @Override
    public Optional<String> clusterState() {
        return Optional.ofNullable(server.clusterState());
    }

    @Override
    public boolean observeCluster(ClusterObserver observer) {
        ClusterLink link = server.cluster();
        if (link == null) {
            return false;
        }
        link.observe(observer);
        return true;
    }

    @Override
    public Optional<ClusterReaderStats> clusterReaderStats() {
        ClusterLink link = server.cluster();
        return link == null ? Optional.empty() : link.readerStats();
    }

    @Override
    public Optional<ClusterView> clusterView() {
        ClusterLink link = server.cluster();
        return link == null ? Optional.empty() : link.view();
    }

    @Override
    public boolean listenersBound() {
        for (ListenerConfig listener : config.listeners()) {
            try {
                server.boundPort(listener.name());
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    /** Stops and waits up to 10 seconds. */
    @Override
    public void close() {
        try {
            stop().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("broker did not stop cleanly", e);
        }
    }

    /** Builds a {@link Broker}; everything but the configuration is optional. */
    public static final class Builder {
        private BrokerConfig config = BrokerConfig.builder().build();
        private Authenticator authenticator;
        private Authorizer authorizer;
        private RetainedStore retainedStore;
        private BrokerStateStore stateStore;
        private ClusterLink cluster;
        private final List<PublishInterceptor> interceptors = new ArrayList<>();

        private Builder() {
        }

        public Builder config(BrokerConfig brokerConfig) {
            this.config = brokerConfig;
            return this;
        }

        /**
         * Replaces the default (loopback clients, or any client on a listener that allows anonymous ones) and
         * {@code broker.auth}; it is called on the broker's authentication threads, never on an I/O thread.
         */
        public Builder authenticator(Authenticator chosen) {
            this.authenticator = chosen;
            return this;
        }

        /** Replaces the default, which allows everything. */
        public Builder authorizer(Authorizer chosen) {
            this.authorizer = chosen;
            return this;
        }

        /** Adds an interceptor; every one sees every client publish, in the order added. */
        public Builder interceptor(PublishInterceptor interceptor) {
            interceptors.add(interceptor);
            return this;
        }

        /** Replaces the in-memory retained store. */
        public Builder retainedStore(RetainedStore store) {
            this.retainedStore = store;
            return this;
        }

        /**
         * Keeps sessions and retained messages across a restart in {@code store}; for a file in a directory,
         * {@link BrokerConfig.Builder#persistenceDirectory} is enough. Not both.
         */
        public Builder stateStore(BrokerStateStore store) {
            this.stateStore = store;
            return this;
        }

        /**
         * Makes this broker a node of {@code link}'s cluster: in-process publishes go through the cluster's log,
         * and this node's MQTT sessions get what the log carries. Without it, nothing of the cluster runs.
         */
        public Builder cluster(ClusterLink link) {
            this.cluster = link;
            return this;
        }

        /**
         * @throws IllegalArgumentException if both a persistence directory and a state store are set, or if an
         *     auth plugin jar or the ACL file cannot be used (the message names it)
         */
        public Broker build() {
            RetainedStore store = retainedStore != null ? retainedStore : new InMemoryRetainedStore(
                    config.maxRetainedMessages(), config.maxRetainedBytes());
            if (config.persistenceDirectory() != null && stateStore != null) {
                throw new IllegalArgumentException("set either a persistence directory ("
                        + config.persistenceDirectory() + ") or a state store, not both");
            }
            return new Broker(new BrokerServer(config, authenticator, authorizer, interceptors, store, stateStore,
                    cluster),
                    config);
        }
    }
}
