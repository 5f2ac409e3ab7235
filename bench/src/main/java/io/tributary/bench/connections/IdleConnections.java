package io.tributary.bench.connections;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Holds many MQTT 3.1.1 connections that do nothing after their CONNACK, to measure what an idle client costs a
 * broker. One selector thread, a few hundred bytes per connection on this side: the client is not what is measured.
 *
 * <p>Not thread-safe: one thread opens, watches and closes.
 */
public final class IdleConnections implements AutoCloseable {

    /** What became of the connections asked for. */
    public record Outcome(int requested, int connected, int refused, int failed, Duration elapsed, String firstError) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d of %d connected in %.1f s (%d refused, %d failed%s)", connected,
                    requested, elapsed.toNanos() / 1e9, refused, failed,
                    firstError == null ? "" : ", first error: " + firstError);
        }
    }

    private static final class Attempt {
        final SocketChannel channel;
        final ByteBuffer connect;
        final ByteBuffer connack = ByteBuffer.allocate(RawConnect.CONNACK_LENGTH);

        Attempt(SocketChannel channel, ByteBuffer connect) {
            this.channel = channel;
            this.connect = connect;
        }
    }

    private final Selector selector;
    private final List<SocketChannel> open = new ArrayList<>();
    private Outcome outcome;
    private int closedByBroker;

    private IdleConnections(Selector selector) {
        this.selector = selector;
    }

    /**
     * Opens {@code count} connections to {@code host:port}, at most {@code maxPending} handshakes at a time so the
     * broker's accept backlog is not overrun, and returns once all have answered or the timeout passed.
     */
    public static IdleConnections open(String host, int port, int count, int maxPending, Duration timeout)
            throws IOException {
        IdleConnections connections = new IdleConnections(Selector.open());
        connections.outcome = connections.connect(new InetSocketAddress(host, port), count, maxPending, timeout);
        return connections;
    }

    /** What became of the connections asked for when they were opened. */
    public Outcome outcome() {
        return outcome;
    }

    private Outcome connect(InetSocketAddress address, int count, int maxPending, Duration timeout) throws IOException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int started = 0;
        int pending = 0;
        int refused = 0;
        int failed = 0;
        String firstError = null;
        while ((started < count || pending > 0) && System.nanoTime() < deadline) {
            while (started < count && pending < maxPending) {
                SocketChannel channel = SocketChannel.open();
                try {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    Attempt attempt = new Attempt(channel,
                            RawConnect.connect(String.format(Locale.ROOT, "idle-%06d", started), 0));
                    if (channel.connect(address)) {
                        channel.register(selector, SelectionKey.OP_WRITE, attempt);
                    } else {
                        channel.register(selector, SelectionKey.OP_CONNECT, attempt);
                    }
                    pending++;
                } catch (IOException e) {
                    channel.close();
                    failed++;
                    firstError = firstError == null ? e.toString() : firstError;
                }
                started++;
            }
            selector.select(100);
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                Attempt attempt = (Attempt) key.attachment();
                try {
                    int result = advance(key, attempt);
                    if (result == 0) {
                        continue;
                    }
                    pending--;
                    if (result == 1) {
                        key.interestOps(SelectionKey.OP_READ); // from now on, a readable socket means it was closed
                        key.attach(null);
                        open.add(attempt.channel);
                    } else {
                        refused++;
                        firstError = firstError == null ? "CONNACK return code " + (-result) : firstError;
                        closeQuietly(key);
                    }
                } catch (IOException e) {
                    pending--;
                    failed++;
                    firstError = firstError == null ? e.toString() : firstError;
                    closeQuietly(key);
                }
            }
        }
        int unanswered = count - open.size() - refused - failed;
        if (unanswered > 0) {
            failed += unanswered;
            firstError = firstError == null ? unanswered + " not answered within " + timeout : firstError;
        }
        return new Outcome(count, open.size(), refused, failed, Duration.ofNanos(System.nanoTime() - start),
                firstError);
    }

    /** Returns 0 while the handshake is under way, 1 when accepted, or minus the CONNACK return code. */
    private static int advance(SelectionKey key, Attempt attempt) throws IOException {
        SocketChannel channel = attempt.channel;
        if (key.isConnectable()) {
            channel.finishConnect();
            key.interestOps(SelectionKey.OP_WRITE);
            return 0;
        }
        if (key.isWritable()) {
            channel.write(attempt.connect);
            if (!attempt.connect.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ);
            }
            return 0;
        }
        if (key.isReadable()) {
            if (channel.read(attempt.connack) < 0) {
                throw new IOException("closed by the broker before CONNACK");
            }
            if (attempt.connack.hasRemaining()) {
                return 0;
            }
            int code = RawConnect.returnCode(attempt.connack.flip());
            if (code == 0) {
                return 1;
            }
            return code < 0 ? -255 : -code;
        }
        return 0;
    }

    /**
     * Counts the connections the broker has closed since they were opened (an idle client is read only to notice
     * end of stream; any byte or EOF counts as closed), waiting up to {@code wait} for news.
     */
    public int closedByBroker(Duration wait) throws IOException {
        selector.selectNow();
        selector.selectedKeys().clear();
        long deadline = System.nanoTime() + wait.toNanos();
        ByteBuffer scratch = ByteBuffer.allocate(256);
        do {
            selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                SocketChannel channel = (SocketChannel) key.channel();
                scratch.clear();
                int read;
                try {
                    read = channel.read(scratch);
                } catch (IOException e) {
                    read = -1;
                }
                if (read < 0) {
                    closeQuietly(key);
                    open.remove(channel);
                    closedByBroker++;
                }
            }
        } while (System.nanoTime() < deadline);
        return closedByBroker;
    }

    /** How many connections are still open on this side. */
    public int openCount() {
        return open.size();
    }

    /** Closes every connection with a reset (SO_LINGER 0), leaving no TIME_WAIT behind on either side. */
    @Override
    public void close() throws IOException {
        for (SocketChannel channel : open) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        open.clear();
        selector.close();
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // already broken
        }
    }
}
