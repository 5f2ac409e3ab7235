package io.tributary.bench.raw;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens {@code clients} MQTT connections with at most {@code concurrency} handshakes under way at once, on one
 * thread with a selector: TCP connect, CONNECT, CONNACK. A connection stays open once its CONNACK came, as a
 * client's would, until all are done; then all are closed. The time is from the first connect to the last CONNACK.
 */
final class ConnectionRate {

    /** @param connected CONNACKs with code 0 @param refused other CONNACKs or failed connections */
    record Result(int connected, int refused, long nanos) {
        double perSecond() {
            return nanos == 0 ? 0 : connected * 1e9 / nanos;
        }
    }

    private ConnectionRate() {
    }

    static Result run(String host, int port, int version, String idPrefix, int clients, int concurrency,
                      long timeoutNanos) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        List<SocketChannel> open = new ArrayList<>(clients);
        int started = 0;
        int connected = 0;
        int refused = 0;
        long begin = System.nanoTime();
        long deadline = begin + timeoutNanos;
        try (Selector selector = Selector.open()) {
            while (connected + refused < clients && System.nanoTime() < deadline) {
                while (started < clients && started - connected - refused < concurrency) {
                    SocketChannel channel = SocketChannel.open();
                    open.add(channel);
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ByteBuffer connect = MqttWire.connect(version, idPrefix + started, 60);
                    if (channel.connect(address)) {
                        channel.write(connect);
                        channel.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(256));
                    } else {
                        channel.register(selector, SelectionKey.OP_CONNECT, connect);
                    }
                    started++;
                }
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    try {
                        if (key.isConnectable()) {
                            channel.finishConnect();
                            channel.write((ByteBuffer) key.attachment()); // tens of bytes: one write takes it
                            key.interestOps(SelectionKey.OP_READ);
                            key.attach(ByteBuffer.allocate(256));
                        } else if (key.isReadable()) {
                            ByteBuffer in = (ByteBuffer) key.attachment();
                            if (channel.read(in) < 0) {
                                key.cancel();
                                refused++;
                                continue;
                            }
                            int code = connackCode(in);
                            if (code >= 0) {
                                key.cancel();
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
                    }
                }
                selector.selectedKeys().clear();
            }
            return new Result(connected, refused + (clients - connected - refused), System.nanoTime() - begin);
        } finally {
            for (SocketChannel channel : open) {
                channel.close();
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
