package io.tributary.bench.connections;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Tells whether a broker is ready: an open port is not enough (a JVM broker binds before it serves), so the probe
 * completes a real MQTT CONNECT/CONNACK exchange.
 */
public final class ReadinessProbe {

    private ReadinessProbe() {
    }

    /** True when the broker at {@code host:port} answers a CONNECT with CONNACK "accepted" within the timeout. */
    public static boolean acceptsMqtt(String host, int port, Duration timeout) {
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            ByteBuffer connect = RawConnect.connect("bench-probe-" + System.nanoTime(), 0);
            OutputStream out = socket.getOutputStream();
            out.write(connect.array(), 0, connect.limit());
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] connack = in.readNBytes(RawConnect.CONNACK_LENGTH);
            boolean accepted = connack.length == RawConnect.CONNACK_LENGTH
                    && RawConnect.returnCode(ByteBuffer.wrap(connack)) == 0;
            if (accepted) {
                out.write(new byte[] {(byte) 0xE0, 0}); // DISCONNECT, so that no will or session lingers
                out.flush();
            }
            return accepted;
        } catch (IOException e) {
            return false;
        }
    }
}
