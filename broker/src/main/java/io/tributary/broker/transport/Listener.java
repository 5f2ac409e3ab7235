package io.tributary.broker.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.ScheduledFuture;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.protocol.ProtocolContext;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One bound server socket, serving one {@link ListenerConfig}. */
public final class Listener {
    /** How often a TLS listener looks for renewed certificate, key or client CA files. */
    static final long TLS_CHECK_SECONDS = 1;

    private final ListenerConfig config;
    private Channel serverChannel;
    private volatile ScheduledFuture<?> tlsReload;

    public Listener(ListenerConfig config) {
        this.config = config;
    }

    /** Binds the socket; the future fails if the address cannot be bound. */
    public CompletableFuture<Listener> bind(ProtocolContext context, EventLoopGroup boss, EventLoopGroup workers,
                                            Class<? extends ServerChannel> channelType) {
        CompletableFuture<Listener> result = new CompletableFuture<>();
        ServerTls tls;
        try {
            tls = config.tls() == null ? null : ServerTls.load(config.name(), config.tls());
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new IllegalStateException(
                    "listener " + config.name() + ": cannot load TLS certificate or key: " + e.getMessage(), e));
            return result;
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A client that vanished without a FIN (power cut, NAT timeout) is found even without keep-alive.
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .childHandler(new MqttChannelInitializer(context, config, tls));
        ChannelFuture bound = bootstrap.bind(config.host(), config.port());
        bound.addListener(f -> {
            if (f.isSuccess()) {
                serverChannel = bound.channel();
                if (tls != null) {
                    // On the accept thread: a look at three files' dates each second; a renewal reads a few KB.
                    tlsReload = boss.scheduleWithFixedDelay(tls::checkForChanges,
                            TLS_CHECK_SECONDS, TLS_CHECK_SECONDS, TimeUnit.SECONDS);
                }
                result.complete(this);
            } else {
                result.completeExceptionally(new IllegalStateException("listener " + config.name()
                        + ": cannot bind " + config.host() + ":" + config.port() + ": " + f.cause().getMessage(),
                        f.cause()));
            }
        });
        return result;
    }

    public ListenerConfig config() {
        return config;
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting connections. */
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledFuture<?> reload = tlsReload;
        if (reload != null) {
            reload.cancel(false);
        }
        if (serverChannel == null) {
            done.complete(null);
        } else {
            serverChannel.close().addListener(f -> done.complete(null));
        }
        return done;
    }
}
