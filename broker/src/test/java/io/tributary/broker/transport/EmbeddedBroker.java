package io.tributary.broker.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tributary.broker.Authorizer;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.delivery.PublishService;
import io.tributary.broker.protocol.ProtocolContext;
import io.tributary.broker.retained.InMemoryRetainedStore;
import io.tributary.broker.session.SessionLimits;
import io.tributary.broker.session.SessionRegistry;
import io.tributary.broker.stats.BrokerCounters;
import io.tributary.broker.subscription.MessageRouter;
import io.tributary.broker.subscription.SubscriptionTree;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The broker's state and the pipeline of {@link MqttChannelInitializer}, on {@link EmbeddedSocketChannel}s
 * instead of sockets: bytes in, bytes out, no threads but a timer for sessions.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final DefaultEventLoop timers = new DefaultEventLoop();
    private final ProtocolContext context;
    private final ListenerConfig listener;

    public EmbeddedBroker(BrokerConfig config) {
        BrokerCounters counters = new BrokerCounters();
        SubscriptionTree subscriptions = new SubscriptionTree();
        InMemoryRetainedStore retained = new InMemoryRetainedStore();
        PublishService publishing = new PublishService(new MessageRouter(subscriptions), retained, List.of(), counters);
        SessionRegistry sessions = new SessionRegistry(subscriptions,
                new SessionLimits(config.maxQueuedMessages(), config.maxInFlight(), config.queueFullPolicy()),
                counters, timers, will -> publishing.publish(will.message(), null, true));
        ChannelGroup channels = new DefaultChannelGroup("embedded", GlobalEventExecutor.INSTANCE);
        this.listener = config.listeners().get(0);
        this.context = new ProtocolContext(config, sessions, subscriptions, retained, publishing, counters,
                io.tributary.broker.auth.ConnectAuthentication.inline((client, password) -> true),
                Authorizer.ALLOW_ALL, channels, new io.tributary.broker.admission.ConnectionGate(config.connection()));
    }

    /** A new connection running the broker's real pipeline for the first listener. */
    public Connection connect() throws Exception {
        EmbeddedSocketChannel channel = new EmbeddedSocketChannel();
        channel.pipeline().addLast(new MqttChannelInitializer(context, listener, null));
        channel.register();
        return new Connection(channel);
    }

    @Override
    public void close() {
        timers.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** One embedded connection. */
    public static final class Connection implements AutoCloseable {
        private final EmbeddedSocketChannel channel;

        Connection(EmbeddedSocketChannel channel) {
            this.channel = channel;
        }

        /** Feeds bytes as if the client had sent them and runs whatever the broker scheduled. */
        public void receive(byte[] bytes) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
            channel.runPendingTasks();
        }

        /** Everything the broker wrote since the last call, as one byte array. */
        public byte[] sent() {
            channel.runPendingTasks();
            if (channel.isOpen()) {
                channel.flushOutbound();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Object written;
            while ((written = channel.readOutbound()) != null) {
                ByteBuf buf = (ByteBuf) written;
                try {
                    out.writeBytes(ByteBufUtil.getBytes(buf));
                } finally {
                    buf.release();
                }
            }
            return out.toByteArray();
        }

        public boolean isOpen() {
            channel.runPendingTasks();
            return channel.isOpen();
        }

        public EmbeddedSocketChannel channel() {
            return channel;
        }

        @Override
        public void close() {
            channel.finishAndReleaseAll();
        }
    }
}
