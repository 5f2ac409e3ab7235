package io.tributary.broker.server;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tributary.broker.AclConfig;
import io.tributary.broker.Authenticator;
import io.tributary.broker.Authorizer;
import io.tributary.broker.acl.AclAuthorizer;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.BrokerStateStore;
import io.tributary.broker.BrokerStats;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.Message;
import io.tributary.broker.MessageHandler;
import io.tributary.broker.PublishInterceptor;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.auth.BrokerAuth;
import io.tributary.broker.auth.ConnectRefusals;
import io.tributary.broker.SubscribeOptions;
import io.tributary.broker.admission.ConnectionGate;
import io.tributary.broker.delivery.InProcessPublisher;
import io.tributary.broker.delivery.InProcessSubscriber;
import io.tributary.broker.cluster.ClusterInterest;
import io.tributary.broker.cluster.ClusterLink;
import io.tributary.broker.cluster.ClusterRouter;
import io.tributary.broker.cluster.ClusterSessions;
import io.tributary.broker.cluster.NodeStreams;
import io.tributary.broker.cluster.SessionDelivery;
import io.tributary.broker.delivery.PublishService;
import io.tributary.broker.persistence.BrokerPersistence;
import io.tributary.broker.persistence.JournalPersistence;
import io.tributary.broker.persistence.StatePersistence;
import io.tributary.broker.retained.InMemoryRetainedStore;
import io.tributary.broker.logging.LogSafe;
import io.tributary.broker.protocol.MqttConnection;
import io.tributary.broker.protocol.ProtocolContext;
import io.tributary.broker.session.SessionLimits;
import io.tributary.broker.session.SessionRegistry;
import io.tributary.broker.session.WillMessage;
import io.tributary.broker.stats.BrokerCounters;
import io.tributary.broker.stats.SysTopicPublisher;
import io.tributary.broker.subscription.MessageRouter;
import io.tributary.broker.subscription.Subscription;
import io.tributary.broker.subscription.SubscriptionTree;
import io.tributary.broker.topic.TopicFilter;
import io.tributary.broker.topic.TopicName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import io.tributary.broker.transport.Listener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the broker together: state (sessions, subscriptions, retained messages), the publish path, the
 * event loops and the listeners; and serves the in-process API. Each instance is independent: several can
 * run in one JVM.
 */
public final class BrokerServer {
    private static final Logger log = LoggerFactory.getLogger(BrokerServer.class);

    private final BrokerConfig config;
    private final BrokerCounters counters = new BrokerCounters();
    private final SubscriptionTree subscriptions = new SubscriptionTree();
    private final RetainedStore retained;
    private final PublishService publishing;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> channelType;
    private final ProtocolContext context;
    private final List<Listener> listeners = new ArrayList<>();
    private final AtomicInteger inProcessIds = new AtomicInteger();
    private final SysTopicPublisher sysTopics;
    private final BrokerAuth auth;
    /** The ACL authorizer made from the configuration, which watches its file until the broker stops; or null. */
    private final AclAuthorizer ownAcl;
    /** The cluster this broker is a node of, or null for a broker on its own. */
    private final ClusterLink cluster;
    /** How publishes are routed in a cluster; null without one. */
    private final ClusterRouter clusterRouter;
    /** The cluster's table of every node's sessions and subscriptions; null without a cluster. */
    private final ClusterInterest clusterInterest;
    /** This node's sessions as written to the cluster's table; null without a cluster. */
    private final ClusterSessions clusterSessions;
    /** This node's in-process subscriptions to every node's messages, in the cluster's table; null without one. */
    private final NodeStreams nodeStreams;
    private final MessageRouter router;
    /** Null when the state lives in memory only. */
    private final BrokerPersistence persistence;
    private final AtomicReference<CompletableFuture<Void>> stopped = new AtomicReference<>();
    private volatile boolean stopping;
    /** In-process publishes under way; the state is saved once none is, and none starts after stop. */
    private final AtomicInteger publishesInProgress = new AtomicInteger();
    /**
     * Completes once the broker is stopping and no in-process publish is under way. Whichever of the two
     * (stop, the last publish leaving) comes second completes it: each writes its own side before reading the
     * other's, so one of them always sees both.
     */
    private final CompletableFuture<Void> publishesDrained = new CompletableFuture<>();

    /**
     * @param stateStore where sessions and retained messages are saved at the stop, or null: then they are written as
     *     they change to the configuration's persistence directory, or kept nowhere without one
     * @throws IllegalArgumentException naming the file, if an auth plugin jar or the ACL file cannot be used, or
     *     a plugin authorizer and access rules are both configured
     */
    public BrokerServer(BrokerConfig config, Authenticator authenticator, Authorizer authorizer,
                        List<PublishInterceptor> interceptors, RetainedStore retained, BrokerStateStore stateStore) {
        this(config, authenticator, authorizer, interceptors, retained, stateStore, null);
    }

    /**
     * @param cluster the cluster this broker is a node of, or null: then in-process publishes are routed as every
     *     other, exactly as a broker on its own does
     */
    public BrokerServer(BrokerConfig config, Authenticator authenticator, Authorizer authorizer,
                        List<PublishInterceptor> interceptors, RetainedStore retained, BrokerStateStore stateStore,
                        ClusterLink cluster) {
        this.config = config;
        this.cluster = cluster;
        this.retained = retained;
        // Before any thread starts, so that a bad plugin jar or ACL file leaves nothing running.
        Set<String> anonymous = new HashSet<>();
        for (ListenerConfig listener : config.listeners()) {
            if (listener.allowAnonymous()) {
                anonymous.add(listener.name());
            }
        }
        try {
            this.auth = new BrokerAuth(config, authenticator, new LoopbackAuthenticator(anonymous));
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Authorizer authorizing;
        try {
            authorizing = chooseAuthorizer(authorizer, auth.pluginAuthorizer().orElse(null), config.acl());
        } catch (RuntimeException e) {
            auth.stop();
            throw e;
        }
        this.ownAcl = authorizer == null && authorizing instanceof AclAuthorizer acl ? acl : null;
        boolean epoll = Epoll.isAvailable();
        this.boss = epoll ? new EpollEventLoopGroup(1, new DefaultThreadFactory("tributary-accept"))
                : new NioEventLoopGroup(1, new DefaultThreadFactory("tributary-accept"));
        this.workers = epoll ? new EpollEventLoopGroup(0, new DefaultThreadFactory("tributary-io"))
                : new NioEventLoopGroup(0, new DefaultThreadFactory("tributary-io"));
        this.channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.router = new MessageRouter(subscriptions);
        this.clusterInterest = cluster == null ? null : new ClusterInterest();
        this.clusterRouter = cluster == null ? null
                : new ClusterRouter(router, subscriptions, cluster, clusterInterest);
        this.clusterSessions = cluster == null ? null : new ClusterSessions(cluster);
        this.nodeStreams = cluster == null ? null : new NodeStreams(cluster);
        // Without a cluster the publish path is today's router, with nothing in between.
        this.publishing = new PublishService(cluster == null ? router : clusterRouter, retained, interceptors,
                counters);
        if (cluster != null) {
            // In a cluster the retained messages live in the cluster's log, whoever publishes them.
            publishing.journalRetainedTo(cluster.retainedJournal());
        }
        // With a cluster, the local state store keeps sessions only: its retained messages go to a store no one
        // reads, so that an old local copy never mixes with the cluster's.
        RetainedStore persistedRetained = cluster == null ? retained : new InMemoryRetainedStore();
        SessionLimits limits = new SessionLimits(config.maxQueuedMessages(), config.maxQueuedBytes(),
                config.maxInFlight(), config.queueFullPolicy(), config.maxSessions(), config.slowSubscribers(),
                config.maxQueuedBytesTotal());
        SessionRegistry sessions = new SessionRegistry(subscriptions, limits, counters, workers, this::publishWill);
        if (cluster != null) {
            sessions.watchWith(clusterSessions);
        }
        ChannelGroup channels = new DefaultChannelGroup("tributary-clients", GlobalEventExecutor.INSTANCE);
        sessions.authorizeRestoredWith(authorizing);
        this.context = new ProtocolContext(config, sessions, subscriptions, retained, publishing, counters,
                auth.authentication(), authorizing, channels, new ConnectionGate(config.connection()));
        this.sysTopics = new SysTopicPublisher(counters::snapshot, retained::size, subscriptions::size,
                publishing::publishOwn);
        if (stateStore != null) {
            this.persistence = new StatePersistence(stateStore, sessions, persistedRetained,
                    config.maxSessionExpirySeconds(),
                    this::publishWill);
        } else if (config.persistenceDirectory() != null) {
            this.persistence = new JournalPersistence(config.persistenceDirectory(), config.persistenceSyncInterval(),
                    sessions, persistedRetained, publishing, config.maxSessionExpirySeconds(), this::publishWill);
        } else {
            this.persistence = null;
        }
    }

    /**
     * An authorizer given in code wins; then the plugins' one; then the configuration's access rules, if any.
     *
     * @throws IllegalArgumentException if the plugins hold an authorizer and the configuration has access rules
     *     too, or the ACL file cannot be used
     */
    private static Authorizer chooseAuthorizer(Authorizer given, Authorizer plugin, AclConfig acl) {
        if (given != null) {
            return given;
        }
        if (plugin != null) {
            if (!acl.isNone()) {
                throw new IllegalArgumentException("broker.auth: the plugin authorizer " + plugin.getClass().getName()
                        + " and the access rules of acl-file/acl are both set; a plugin authorizer replaces the "
                        + "access rules, so keep one");
            }
            log.info("clients are authorized by the plugin {}", plugin.getClass().getName());
            return plugin;
        }
        return AclAuthorizer.start(acl);
    }

    /** The authorizer in force: one given in code, a plugin's, the configuration's access rules, or allow-all. */
    public Authorizer authorizer() {
        return context.authorizer();
    }

    /**
     * Restores the saved state, if there is a store, then binds every listener. Fails, and unbinds those
     * already bound, if the state cannot be restored or a listener cannot be bound.
     */
    public CompletableFuture<Void> start() {
        try {
            auth.start(); // a password file or plugin that cannot be used stops the start
        } catch (IOException e) {
            return stop().handle((ignored, stopFailure) -> null)
                    .thenCompose(ignored -> CompletableFuture.failedFuture(e));
        }
        if (persistence != null) {
            try {
                persistence.restore(); // before any listener accepts a connection
            } catch (IOException | RuntimeException e) {
                return stop().handle((ignored, stopFailure) -> null)
                        .thenCompose(ignored -> CompletableFuture.failedFuture(e));
            }
        }
        if (cluster != null) {
            try {
                // The local journal took the retained messages over while restoring: they are the cluster's.
                publishing.journalRetainedTo(cluster.retainedJournal());
                cluster.followRetained(retained); // every retained message of the cluster, before any client
                // The cluster's session table, then this node's own sessions made known to it: before any client.
                cluster.followSessions(clusterInterest);
                clusterSessions.reconcile(clusterInterest, context.sessions().all());
                nodeStreams.reconcile(clusterInterest);
            } catch (RuntimeException e) {
                return stop().handle((ignored, stopFailure) -> null)
                        .thenCompose(ignored -> CompletableFuture.failedFuture(e));
            }
            // Once the sessions are back, so that none misses a record; before any client connects.
            cluster.deliverTo(new SessionDelivery(router, cluster.node()));
        }
        List<CompletableFuture<Listener>> binds = new ArrayList<>();
        for (ListenerConfig listenerConfig : config.listeners()) {
            Listener listener = new Listener(listenerConfig);
            binds.add(listener.bind(context, boss, workers, channelType).thenApply(bound -> {
                synchronized (listeners) {
                    listeners.add(bound);
                }
                log.info("listening on {} {}:{} ({}){}", listenerConfig.transport().name().toLowerCase(),
                        listenerConfig.host(), bound.port(), listenerConfig.name(),
                        listenerConfig.tls() != null ? " with TLS" : "");
                return bound;
            }));
        }
        return CompletableFuture.allOf(binds.toArray(new CompletableFuture<?>[0]))
                .thenRun(() -> sysTopics.start(workers, config.sysInterval()))
                .exceptionallyCompose(failure -> stop().thenCompose(ignored -> CompletableFuture.failedFuture(
                        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure)));
    }

    /**
     * Stops accepting, tells MQTT 5 clients the server is shutting down, closes connections and threads, then
     * saves the state if there is a store (and it was restored: a state that failed to load is never
     * overwritten). Calling it again returns the same future.
     */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (!stopped.compareAndSet(null, result)) {
            return stopped.get();
        }
        stopping = true;
        if (publishesInProgress.get() == 0) {
            publishesDrained.complete(null);
        }
        if (cluster != null) {
            // Before the sessions are saved: a record not handed now is read again after a restart.
            cluster.stopDelivering();
        }
        sysTopics.stop();
        if (ownAcl != null) {
            ownAcl.close();
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        synchronized (listeners) {
            for (Listener listener : listeners) {
                closing.add(listener.close());
            }
            listeners.clear();
        }
        CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0])).thenCompose(ignored -> {
            for (Channel channel : context.channels()) {
                MqttConnection connection = channel.pipeline().get(MqttConnection.class);
                if (connection != null) {
                    channel.eventLoop().execute(connection::serverShuttingDown);
                } else {
                    channel.close();
                }
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            context.channels().newCloseFuture().addListener(f -> {
                boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
                // Once the I/O threads are gone, every connection has been handed back to its session (and
                // wills due at once published): nothing changes the state any more.
                workers.shutdownGracefully(0, 2, TimeUnit.SECONDS)
                        .addListener(g -> {
                            auth.stop();
                            finishStopping(done);
                        });
            });
            return done;
        }).whenComplete((ignored, failure) -> {
            if (failure == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    /** Saves the state on a thread of its own (it writes a file), after the last in-process publish. */
    private void finishStopping(CompletableFuture<Void> done) {
        if (persistence == null) {
            done.complete(null);
            return;
        }
        Thread saver = new Thread(() -> {
            Exception failure = null;
            try {
                publishesDrained.join();
                if (persistence.restored()) {
                    persistence.save();
                }
            } catch (IOException | RuntimeException e) {
                log.error("{}", e.getMessage());
                failure = e;
            }
            try {
                persistence.close(); // before completing: a broker started next on the same directory needs it
            } catch (IOException e) {
                log.warn("cannot release the broker state store: {}", e.toString());
            }
            if (failure == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(failure);
            }
        }, "tributary-state-save");
        saver.start();
    }

    /** The CONNECTs refused by authentication, by reason. */
    public ConnectRefusals authRefusals() {
        return auth.authentication().refusals();
    }

    /** The port a listener is bound to. @throws IllegalArgumentException if no listener has that name */
    public int boundPort(String listenerName) {
        synchronized (listeners) {
            for (Listener listener : listeners) {
                if (listener.config().name().equals(listenerName)) {
                    return listener.port();
                }
            }
        }
        throw new IllegalArgumentException("no bound listener named " + listenerName);
    }

    /**
     * Publishes from inside the process; completes once every subscriber accepted the message and those
     * that hold acknowledgements have completed, so a caller that waits for it cannot overrun the broker.
     */
    public CompletableFuture<Void> publish(Message message) {
        String problem = TopicName.problemWith(message.topic());
        if (problem != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(problem + ": '" + message.topic() + "'"));
        }
        if (persistence == null) {
            return route(message);
        }
        if (!persistence.restored()) {
            // Before the saved state is back, a message for a restored session would find none and a retained
            // one would be replaced by an older copy. Refused, it is sent again (a Kafka record is read again).
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "the broker is starting and has not restored its state yet: " + message.topic()
                            + " not published"));
        }
        publishesInProgress.incrementAndGet();
        try {
            if (stopping) {
                // Accepted now, it would miss the saved state and be lost without anyone knowing.
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "the broker is stopping: " + message.topic() + " not published"));
            }
            return route(message);
        } finally {
            if (publishesInProgress.decrementAndGet() == 0 && stopping) {
                publishesDrained.complete(null);
            }
        }
    }

    private CompletableFuture<Void> route(Message message) {
        InProcessPublisher publisher = new InProcessPublisher();
        CompletionStage<Void> hold = clusterRouter == null ? publishing.publish(message, publisher, false)
                : publishing.publishVia(clusterRouter.inProcess(), message, publisher);
        return publisher.accepted(hold);
    }

    /** Subscribes a handler in this process. */
    public InProcessSubscription subscribe(String filter, SubscribeOptions options, MessageHandler handler) {
        TopicFilter parsed = TopicFilter.parse(filter);
        InProcessSubscriber subscriber = new InProcessSubscriber("$internal-" + inProcessIds.incrementAndGet(),
                handler, options, counters);
        Subscription subscription = new Subscription(subscriber, parsed, options.maxQos(), false, true, 2, 0);
        subscriptions.add(subscription);
        NodeStreams everyNode = options.fromEveryNode() ? nodeStreams : null; // null without a cluster
        if (everyNode != null) {
            everyNode.add(subscriber, filter, options.maxQos());
        }
        return new InProcessSubscription() {
            @Override
            public String filter() {
                return filter;
            }

            @Override
            public void close() {
                subscriber.close();
                subscriptions.remove(subscriber, parsed);
                if (everyNode != null) {
                    everyNode.remove(subscriber);
                }
            }
        };
    }

    public BrokerStats stats() {
        return counters.snapshot();
    }

    public RetainedStore retained() {
        return retained;
    }

    /** This node's cluster state for readiness; null for a broker on its own. */
    public String clusterState() {
        return cluster == null ? null : cluster.state();
    }

    /** The cluster this broker is a node of, or null for a broker on its own. */
    public ClusterLink cluster() {
        return cluster;
    }

    public SessionRegistry sessions() {
        return context.sessions();
    }

    private void publishWill(WillMessage will) {
        Message original = will.message();
        Message due = new Message(original.topic(), original.payload(), original.qos(), original.retain(),
                original.properties(), original.publisherId(), System.currentTimeMillis());
        log.debug("publishing the will of {} to {}", LogSafe.text(original.publisherId()),
                LogSafe.text(original.topic()));
        publishing.publish(due, null, true);
    }
}
