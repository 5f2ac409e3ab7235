package io.tributary.bench.raw;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Opens {@code clients} MQTT connections, split over {@code threads} threads with a selector each and at most
 * {@code concurrency} handshakes under way at once in all: TCP connect, CONNECT, CONNACK. The CONNECT packets are
 * encoded before the clock starts. A connection stays open once its CONNACK came, as a client's would, until the
 * caller {@linkplain Result#close() closes} the round; the time is from the first connect to the last CONNACK.
 *
 * <p>Connections are bound in turn to the given source addresses (127.0.0.2, 127.0.0.3 ...), each of which has its
 * own ~28,000 ephemeral ports, so that more connections than one address's ports can be held open. Round after
 * round of 10,000 connections leaves many ports in TIME_WAIT on the driver's side; Linux reuses them for new
 * loopback connections ({@code net.ipv4.tcp_tw_reuse}, 2 by default).
 */
final class ConnectionRate {

    private static final int READ_BUFFER = 256;

    /**
     * @param connected CONNACKs with code 0 @param refused other CONNACKs or failed connections
     * @param nanos from the first connect to the last CONNACK @param open the channels, still open
     */
    record Result(int connected, int refused, long nanos, List<SocketChannel> open) implements AutoCloseable {
        double perSecond() {
            return nanos == 0 ? 0 : connected * 1e9 / nanos;
        }

        /** Closes every connection as a client does: DISCONNECT, then close. */
        @Override
        public void close() {
            for (SocketChannel channel : open) {
                try {
                    if (channel.isConnected()) {
                        channel.write(MqttWire.disconnect()); // two bytes: an idle socket takes them at once
                    }
                } catch (IOException | RuntimeException ignored) {
                    // closing anyway
                }
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing left to do
                }
            }
        }
    }

    private ConnectionRate() {
    }

    /** The addresses 127.0.0.2 to 127.0.0.(count + 1), or none (the kernel picks) when count is 0. */
    static List<InetAddress> sourceAddresses(int count) throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)}));
        }
        return addresses;
    }

    static Result run(String host, int port, int version, String idPrefix, int clients, int concurrency, int threads,
                      List<InetAddress> sources, int keepAliveSeconds, long timeoutNanos)
            throws IOException, InterruptedException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        int workers = Math.max(1, Math.min(threads, clients));
        List<Worker> all = new ArrayList<>();
        int from = 0;
        for (int w = 0; w < workers; w++) {
            int to = (int) ((long) clients * (w + 1) / workers);
            List<ByteBuffer> connects = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                connects.add(MqttWire.connect(version, idPrefix + i, keepAliveSeconds));
            }
            all.add(new Worker(address, connects, from, sources,
                    Math.max(1, concurrency / workers + (w < concurrency % workers ? 1 : 0))));
            from = to;
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Worker worker = all.get(w);
            Thread thread = new Thread(() -> worker.run(go, timeoutNanos), "raw-connect-" + w);
            thread.setDaemon(true);
            thread.start();
            running.add(thread);
        }
        long begin = System.nanoTime();
        go.countDown();
        for (Thread thread : running) {
            thread.join();
        }
        long end = begin;
        int connected = 0;
        int refused = 0;
        List<SocketChannel> open = new ArrayList<>(clients);
        IOException failure = null;
        for (Worker worker : all) {
            end = Math.max(end, worker.finished);
            connected += worker.connected;
            refused += worker.refused;
            open.addAll(worker.open);
            if (failure == null && worker.failure != null) {
                failure = worker.failure;
            }
        }
        Result result = new Result(connected, clients - connected, end - begin, open);
        if (failure != null && connected == 0) {
            result.close();
            throw failure;
        }
        return result;
    }

    /** One thread's share of the clients, on its own selector. */
    private static final class Worker {
        private final InetSocketAddress address;
        private final List<ByteBuffer> connects;
        private final int firstIndex;
        private final List<InetAddress> sources;
        private final int concurrency;
        final List<SocketChannel> open;
        int connected;
        int refused;
        long finished;
        IOException failure;

        Worker(InetSocketAddress address, List<ByteBuffer> connects, int firstIndex, List<InetAddress> sources,
               int concurrency) {
            this.address = address;
            this.connects = connects;
            this.firstIndex = firstIndex;
            this.sources = sources;
            this.concurrency = concurrency;
            this.open = new ArrayList<>(connects.size());
        }

        void run(CountDownLatch go, long timeoutNanos) {
            try (Selector selector = Selector.open()) {
                go.await();
                long deadline = System.nanoTime() + timeoutNanos;
                int clients = connects.size();
                int started = 0;
                while (connected + refused < clients && System.nanoTime() < deadline) {
                    while (started < clients && started - connected - refused < concurrency) {
                        start(selector, firstIndex + started, connects.get(started));
                        started++;
                    }
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        handle(key);
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                finished = System.nanoTime();
            }
        }

        private void start(Selector selector, int index, ByteBuffer connect) throws IOException {
            SocketChannel channel = SocketChannel.open();
            open.add(channel);
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (!sources.isEmpty()) {
                    channel.bind(new InetSocketAddress(sources.get(index % sources.size()), 0));
                }
                if (channel.connect(address)) {
                    channel.write(connect);
                    channel.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(READ_BUFFER));
                } else {
                    channel.register(selector, SelectionKey.OP_CONNECT, connect);
                }
            } catch (IOException e) {
                refused++;
                if (failure == null) {
                    failure = e;
                }
            }
        }

        private void handle(SelectionKey key) {
            SocketChannel channel = (SocketChannel) key.channel();
            try {
                if (key.isConnectable()) {
                    channel.finishConnect();
                    channel.write((ByteBuffer) key.attachment()); // tens of bytes: one write takes it
                    key.interestOps(SelectionKey.OP_READ);
                    key.attach(ByteBuffer.allocate(READ_BUFFER));
                } else if (key.isReadable()) {
                    ByteBuffer in = (ByteBuffer) key.attachment();
                    if (channel.read(in) < 0) {
                        key.cancel();
                        refused++;
                        return;
                    }
                    int code = connackCode(in);
                    if (code >= 0) {
                        key.interestOps(0); // stays open, idle, until the round is closed
                        key.attach(null);
                        if (code == 0) {
                            connected++;
                        } else {
                            refused++;
                        }
                    }
                }
            } catch (IOException e) {
                key.cancel();
                refused++;
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }

    /** The CONNACK's return or reason code once a whole CONNACK is in {@code in}, else -1. */
    private static int connackCode(ByteBuffer in) {
        if (in.position() < 2) {
            return -1;
        }
        int remaining = in.get(1) & 0x7F; // a CONNACK's is below 128
        if (in.position() < 2 + remaining || remaining < 2) {
            return -1;
        }
        if ((in.get(0) & 0xFF) >> 4 != MqttWire.CONNACK) {
            return 256;
        }
        return in.get(3) & 0xFF;
    }
}
