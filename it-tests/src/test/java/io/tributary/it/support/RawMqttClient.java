package io.tributary.it.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An MQTT 3.1.1 client that writes packets byte by byte as told, DUP flag and packet identifier included, and
 * acknowledges nothing by itself: what a test needs to retransmit a QoS 2 PUBLISH exactly as a device would.
 */
public final class RawMqttClient implements AutoCloseable {

    /** A packet from the broker: its type (the fixed header's upper four bits) and its body. */
    public record Packet(int type, byte[] body) {
        public static final int CONNACK = 2;
        public static final int PUBACK = 4;
        public static final int PUBREC = 5;
        public static final int PUBCOMP = 7;

        /** The packet identifier of a PUBACK, PUBREC or PUBCOMP. */
        public int packetId() {
            return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** Connects and sends CONNECT (clean session), failing unless a CONNACK accepts it. */
    public RawMqttClient(int port, String clientId) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        ByteArrayOutputStream connect = new ByteArrayOutputStream();
        writeString(connect, "MQTT");
        connect.write(4);                 // protocol level: 3.1.1
        connect.write(0x02);              // clean session
        connect.write(0);
        connect.write(60);                // keep alive, seconds
        writeString(connect, clientId);
        send(0x10, connect.toByteArray());
        Packet connack = next(Duration.ofSeconds(10));
        if (connack.type() != Packet.CONNACK || connack.body()[1] != 0) {
            throw new IOException("CONNECT refused: type " + connack.type());
        }
    }

    /** Sends a QoS 2 PUBLISH, with the DUP flag when {@code dup}. */
    public void publishQos2(String topic, int packetId, byte[] payload, boolean dup) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        body.write(packetId >> 8);
        body.write(packetId);
        body.write(payload);
        send(0x30 | (dup ? 0x08 : 0) | (2 << 1), body.toByteArray());
    }

    /** Sends PUBREL for {@code packetId}. */
    public void pubrel(int packetId) throws IOException {
        send(0x62, new byte[] {(byte) (packetId >> 8), (byte) packetId});
    }

    /** The next packet from the broker. @throws AssertionError if none comes within {@code timeout} */
    public Packet next(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            int header = in.readUnsignedByte();
            int length = 0;
            for (int shift = 0; ; shift += 7) {
                int b = in.readUnsignedByte();
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            byte[] body = new byte[length];
            in.readFully(body);
            return new Packet(header >> 4, body);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no packet from the broker within " + timeout);
        }
    }

    /**
     * Fails if any packet arrives within {@code wait}: how a test sees that an acknowledgement is held back.
     */
    public void assertSilentFor(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        int header;
        try {
            header = in.readUnsignedByte();
        } catch (SocketTimeoutException e) {
            return;
        }
        throw new AssertionError("the broker sent a packet of type " + (header >> 4) + " within " + wait
                + " while it should have been silent");
    }

    private void send(int firstByte, byte[] body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(firstByte);
        int length = body.length;
        do {
            int b = length % 128;
            length /= 128;
            packet.write(length > 0 ? b | 0x80 : b);
        } while (length > 0);
        packet.write(body);
        out.write(packet.toByteArray());
        out.flush();
    }

    private static void writeString(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
