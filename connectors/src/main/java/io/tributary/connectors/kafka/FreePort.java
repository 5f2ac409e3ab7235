package io.tributary.connectors.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * Picks a port that is free on 127.0.0.1 now. Kafka cannot be given port 0 for its controller (the voter set
 * names the port), and the client port must stay the same across restarts, so ports are chosen up front.
 * Another process could take the port between this check and Kafka's bind; Kafka then fails to start with
 * "failed to bind", which is loud, not silent.
 */
final class FreePort {
    private static final InetAddress LOOPBACK;

    static {
        try {
            LOOPBACK = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private FreePort() {
    }

    static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1", e);
        }
    }

    /** Fails with a message naming the port if something on this machine already listens on it. */
    static void requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Kafka's " + what + " 127.0.0.1:" + port + " is in use: " + e.getMessage(), e);
        }
    }

    static int pickOtherThan(int taken) {
        int port = pick();
        while (port == taken) {
            port = pick();
        }
        return port;
    }
}
