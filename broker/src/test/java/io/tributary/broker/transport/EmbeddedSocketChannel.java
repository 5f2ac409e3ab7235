package io.tributary.broker.transport;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DefaultSocketChannelConfig;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketChannelConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * An {@link EmbeddedChannel} that passes for a {@link SocketChannel} from 127.0.0.1, so that the broker's
 * own {@link MqttChannelInitializer} can build its real pipeline on it and tests can drive that pipeline
 * byte by byte without a socket.
 */
final class EmbeddedSocketChannel extends EmbeddedChannel implements SocketChannel {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 1883);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 50_000);

    private final Socket unconnected = new Socket();
    private SocketChannelConfig socketConfig;

    EmbeddedSocketChannel() {
        super(DefaultChannelId.newInstance(), false, false);
        closeFuture().addListener(f -> closeQuietly());
    }

    private void closeQuietly() {
        try {
            unconnected.close();
        } catch (IOException ignored) {
            // nothing was opened for real
        }
    }

    @Override
    public synchronized SocketChannelConfig config() {
        if (socketConfig == null) {
            socketConfig = new DefaultSocketChannelConfig(this, unconnected);
        }
        return socketConfig;
    }

    @Override
    public ServerSocketChannel parent() {
        return null;
    }

    @Override
    public InetSocketAddress localAddress() {
        return LOCAL;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return REMOTE;
    }

    @Override
    protected java.net.SocketAddress remoteAddress0() {
        return REMOTE;
    }

    @Override
    protected java.net.SocketAddress localAddress0() {
        return LOCAL;
    }

    @Override
    public boolean isInputShutdown() {
        return !isActive();
    }

    @Override
    public ChannelFuture shutdownInput() {
        return close();
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        return close(promise);
    }

    @Override
    public boolean isOutputShutdown() {
        return !isActive();
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return close();
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        return close(promise);
    }

    @Override
    public boolean isShutdown() {
        return !isActive();
    }

    @Override
    public ChannelFuture shutdown() {
        return close();
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        return close(promise);
    }
}
