package io.tributary.bench.raw;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One MQTT connection on a plain socket channel: connected, CONNECT answered by CONNACK, optionally subscribed, in
 * blocking mode; what happens after that is up to the publisher or receiver that owns it. Nagle is off, as the
 * driver sends large writes anyway and a paced message must leave at once.
 */
final class RawConnection implements AutoCloseable {

    private static final int KEEP_ALIVE_SECONDS = 60;

    private final SocketChannel channel;
    private final int version;

    private RawConnection(SocketChannel channel, int version) {
        this.channel = channel;
        this.version = version;
    }

    /** Connects and waits for a successful CONNACK. */
    static RawConnection open(String host, int port, int version, String clientId) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress(host, port));
            RawConnection connection = new RawConnection(channel, version);
            connection.writeFully(MqttWire.connect(version, clientId, KEEP_ALIVE_SECONDS));
            ByteBuffer reply = connection.awaitPacket(MqttWire.CONNACK);
            int reason = reply.get(reply.position() + 1) & 0xFF;
            if (reason != 0) {
                throw new IOException("CONNECT of " + clientId + " refused with code 0x" + Integer.toHexString(reason));
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Subscribes to one filter and waits for a SUBACK that grants it. */
    void subscribe(String filter, int qos) throws IOException {
        writeFully(MqttWire.subscribe(version, 1, filter, qos));
        ByteBuffer reply = awaitPacket(MqttWire.SUBACK);
        int granted = reply.get(reply.limit() - 1) & 0xFF;
        if (granted >= 0x80) {
            throw new IOException("SUBSCRIBE to " + filter + " refused with code 0x" + Integer.toHexString(granted));
        }
    }

    SocketChannel channel() {
        return channel;
    }

    int version() {
        return version;
    }

    void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /**
     * Reads one packet at a time, byte-exact, until one of {@code type} arrives (used only before any traffic, so
     * a slow read is fine); returns its body. Other packets (a retained message, say) are skipped.
     */
    private ByteBuffer awaitPacket(int type) throws IOException {
        while (true) {
            int first = readFully(1).get() & 0xFF;
            int length = 0;
            int shift = 0;
            int digit;
            do {
                digit = readFully(1).get() & 0xFF;
                length |= (digit & 0x7F) << shift;
                shift += 7;
            } while ((digit & 0x80) != 0);
            ByteBuffer body = readFully(length);
            if (first >> 4 == type) {
                return body;
            }
        }
    }

    private ByteBuffer readFully(int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("the broker closed the connection");
            }
        }
        return buffer.flip();
    }

    /**
     * Closes the socket without a DISCONNECT: safe while another thread is blocked in a read or write on it (that
     * thread gets an exception), where {@link #close} would wait for the blocked write.
     */
    void abort() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    /** Sends DISCONNECT when it can and closes the socket; only when no other thread uses the connection. */
    @Override
    public void close() {
        try {
            if (channel.isOpen() && channel.isBlocking()) {
                channel.write(MqttWire.disconnect());
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
