package io.tributary.broker.connect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * A socket that sends bytes and splits what comes back into packets without decoding them, so a test
 * can read a CONNACK or DISCONNECT reason code whatever the protocol version (Netty's decoder needs to
 * know the version from a CONNECT it encoded itself).
 */
final class WireClient implements AutoCloseable {
    /** One packet as received: the packet type (high nibble of byte 1), its flags and the bytes after the length. */
    record Packet(int type, int flags, byte[] body) {
        static final int CONNACK = 2;
        static final int PINGRESP = 13;
        static final int DISCONNECT = 14;

        /** CONNACK: the return / reason code (byte 2 of the variable header). */
        int connectCode() {
            return body[1] & 0xFF;
        }

        boolean sessionPresent() {
            return (body[0] & 0x01) != 0;
        }

        /** MQTT 5 DISCONNECT: the reason code (0x00 if the body is empty). */
        int disconnectReason() {
            return body.length == 0 ? 0 : body[0] & 0xFF;
        }

        @Override
        public String toString() {
            return "Packet[type=" + type + ", body=" + Arrays.toString(body) + "]";
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final Deque<Packet> packets = new ArrayDeque<>();
    private boolean eof;

    WireClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** The next packet, or null if the connection closed or nothing came within {@code timeout}. */
    Packet next(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (packets.isEmpty() && !eof) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            if (!read(left)) {
                return packets.poll();
            }
        }
        return packets.poll();
    }

    /** The next packet, which must be of {@code type}. */
    Packet expect(int type, Duration timeout) throws IOException {
        Packet p = next(timeout);
        if (p == null) {
            throw new AssertionError("expected packet type " + type + ", got nothing (closed: " + eof + ")");
        }
        if (p.type() != type) {
            throw new AssertionError("expected packet type " + type + ", got " + p);
        }
        return p;
    }

    /** True if the broker closed the connection within {@code timeout}; packets read meanwhile are kept. */
    boolean closedWithin(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            read(left);
        }
        return true;
    }

    /** Reads once; returns false on timeout. */
    private boolean read(long leftNanos) throws IOException {
        socket.setSoTimeout((int) Math.max(1, leftNanos / 1_000_000));
        byte[] buffer = new byte[8192];
        int n;
        try {
            n = in.read(buffer);
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            eof = true; // reset by the broker
            return true;
        }
        if (n < 0) {
            eof = true;
            return true;
        }
        pending.write(buffer, 0, n);
        split();
        return true;
    }

    private void split() {
        byte[] data = pending.toByteArray();
        int pos = 0;
        while (true) {
            if (data.length - pos < 2) {
                break;
            }
            int length = 0;
            int multiplier = 1;
            int i = pos + 1;
            boolean complete = false;
            while (i < data.length) {
                int digit = data[i++] & 0xFF;
                length += (digit & 0x7F) * multiplier;
                multiplier *= 128;
                if ((digit & 0x80) == 0) {
                    complete = true;
                    break;
                }
            }
            if (!complete || data.length - i < length) {
                break;
            }
            int first = data[pos] & 0xFF;
            packets.add(new Packet(first >> 4, first & 0x0F, Arrays.copyOfRange(data, i, i + length)));
            pos = i + length;
        }
        pending.reset();
        pending.write(data, pos, data.length - pos);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
