package io.tributary.testsupport.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * A deliberately dumb MQTT client for tests that must send or see exact packets: it writes whatever it is told
 * (valid or not, DUP flag and packet identifier included) and acknowledges nothing by itself. What the broker
 * sends is split into packets without decoding ({@link #nextFrame}), so any version or malformed reply can be
 * read, or decoded by Netty's codec ({@link #next}) with the version of the last CONNECT sent.
 *
 * <p>A decoded PUBLISH holds a buffer: release it ({@link ReferenceCountUtil#release}) so leak detection stays quiet.
 */
public final class RawMqttClient implements AutoCloseable {
    /** The attribute through which Netty's MQTT codec learns the version negotiated by CONNECT. */
    private static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(10 * 1024 * 1024));
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final Deque<Frame> frames = new ArrayDeque<>();
    private boolean closedByBroker;

    /** Opens a TCP connection to 127.0.0.1:{@code port}; sends nothing yet. */
    public RawMqttClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** A client connected with a clean start. @throws AssertionError unless the CONNACK accepts it */
    public static RawMqttClient connected(int port, MqttVersion version, String clientId) throws IOException {
        RawMqttClient client = new RawMqttClient(port);
        MqttConnAckMessage connack = (MqttConnAckMessage) client.connect(version, clientId, true, null);
        int code = connack.variableHeader().connectReturnCode().byteValue() & 0xFF;
        if (code != 0) {
            client.close();
            throw new AssertionError("CONNACK return code: expected 0 but was 0x" + Integer.toHexString(code));
        }
        return client;
    }

    /** Sends CONNECT (keep alive 60 s) and returns the broker's answer, which must be a CONNACK. */
    public MqttMessage connect(MqttVersion version, String clientId, boolean cleanStart, MqttProperties properties)
            throws IOException {
        send(MqttMessageBuilders.connect()
                .protocolVersion(version)
                .clientId(clientId)
                .cleanSession(cleanStart)
                .keepAlive(60)
                .properties(properties == null ? MqttProperties.NO_PROPERTIES : properties)
                .build());
        return expect(MqttMessageType.CONNACK, Duration.ofSeconds(10));
    }

    /** Tells the codec the protocol version, as after a CONNECT sent with {@link #sendBytes}. */
    public void useVersion(MqttVersion version) {
        encoder.attr(VERSION).set(version);
        decoder.attr(VERSION).set(version);
    }

    /** Encodes {@code message} with the version of the last CONNECT (or {@link #useVersion}) and sends it. */
    public void send(MqttMessage message) throws IOException {
        if (message instanceof MqttConnectMessage connect) {
            // Both codecs learn the version from CONNECT, as a real client's would.
            useVersion(MqttVersion.fromProtocolNameAndLevel(connect.variableHeader().name(),
                    (byte) connect.variableHeader().version()));
        }
        encoder.writeOutbound(message);
        ByteBuf encoded;
        while ((encoded = encoder.readOutbound()) != null) {
            byte[] bytes = new byte[encoded.readableBytes()];
            encoded.readBytes(bytes);
            encoded.release();
            sendBytes(bytes);
        }
    }

    /** Sends raw bytes: hand-built or malformed packets. */
    public void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a PUBLISH exactly as given: QoS, RETAIN, DUP and packet identifier. */
    public void publish(String topic, byte[] payload, int qos, boolean retain, int packetId, boolean dup,
                        MqttProperties properties) throws IOException {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0);
        send(new MqttPublishMessage(header, new MqttPublishVariableHeader(topic, packetId,
                properties == null ? MqttProperties.NO_PROPERTIES : properties), Unpooled.wrappedBuffer(payload)));
    }

    /** Sends PUBACK, PUBREC, PUBREL or PUBCOMP for {@code packetId}. */
    public void ack(MqttMessageType type, int packetId) throws IOException {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        send(new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0),
                new MqttPubReplyMessageVariableHeader(packetId, (byte) 0, MqttProperties.NO_PROPERTIES)));
    }

    /** Sends SUBSCRIBE for one filter at {@code qos}. */
    public void subscribe(int packetId, String filter, int qos) throws IOException {
        send(MqttMessageBuilders.subscribe().messageId(packetId).addSubscription(MqttQoS.valueOf(qos), filter).build());
    }

    /** The next packet from the broker, not decoded; null if none arrives in time or the connection closed. */
    public Frame nextFrame(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (frames.isEmpty() && !closedByBroker) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !read(left)) {
                break;
            }
        }
        return frames.poll();
    }

    /** The next packet, not decoded, which must be of {@code type} (see {@link Frame}'s constants). */
    public Frame expectFrame(int type, Duration timeout) throws IOException {
        Frame frame = nextFrame(timeout);
        if (frame == null) {
            throw new AssertionError("expected packet type " + type + " but got nothing (closed: " + closedByBroker
                    + ")");
        }
        if (frame.type() != type) {
            throw new AssertionError("expected packet type " + type + " but got " + frame);
        }
        return frame;
    }

    /** The next packet from the broker, decoded; null if none arrives in time or the connection closed. */
    public MqttMessage next(Duration timeout) throws IOException {
        Frame frame = nextFrame(timeout);
        if (frame == null) {
            return null;
        }
        decoder.writeInbound(Unpooled.wrappedBuffer(frame.wireBytes()));
        return decoder.readInbound();
    }

    /** The next packet, decoded, which must be of {@code type}. */
    public MqttMessage expect(MqttMessageType type, Duration timeout) throws IOException {
        MqttMessage message = next(timeout);
        if (message == null) {
            throw new AssertionError("expected " + type + " but got nothing (closed: " + closedByBroker + ")");
        }
        if (message.fixedHeader().messageType() != type) {
            ReferenceCountUtil.release(message);
            throw new AssertionError("expected " + type + " but got " + message);
        }
        return message;
    }

    /** Fails if any packet arrives within {@code wait}: how a test sees that an acknowledgement is held back. */
    public void assertSilentFor(Duration wait) throws IOException {
        Frame frame = nextFrame(wait);
        if (frame != null) {
            throw new AssertionError("the broker sent " + frame + " within " + wait
                    + " while it should have been silent");
        }
    }

    /** True if the broker closed the connection within {@code timeout}; packets read meanwhile are kept. */
    public boolean closedWithin(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closedByBroker) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            read(left);
        }
        return true;
    }

    /** The packet identifier of a decoded PUBLISH, PUBACK, PUBREC, PUBREL or PUBCOMP. */
    public static int packetId(MqttMessage message) {
        if (message.variableHeader() instanceof MqttPublishVariableHeader publish) {
            return publish.packetId();
        }
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    /** The reason code of a decoded PUBACK, PUBREC, PUBREL or PUBCOMP (0 when the packet omitted it, as in 3.1.1). */
    public static int reasonCode(MqttMessage reply) {
        return reply.variableHeader() instanceof MqttPubReplyMessageVariableHeader header
                ? header.reasonCode() & 0xFF : 0;
    }

    /** Reads once, waiting at most {@code leftNanos}; false if nothing came in time. */
    private boolean read(long leftNanos) throws IOException {
        socket.setSoTimeout((int) Math.max(1, leftNanos / 1_000_000));
        byte[] buffer = new byte[65536];
        int n;
        try {
            n = in.read(buffer);
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            closedByBroker = true; // reset by the broker
            return true;
        }
        if (n < 0) {
            closedByBroker = true;
            return true;
        }
        pending.write(buffer, 0, n);
        splitFrames();
        return true;
    }

    /** Moves every complete packet from {@link #pending} to {@link #frames}; a partial one stays. */
    private void splitFrames() {
        byte[] data = pending.toByteArray();
        int pos = 0;
        while (data.length - pos >= 2) {
            int length = 0;
            int multiplier = 1;
            int i = pos + 1;
            boolean lengthComplete = false;
            while (i < data.length) {
                int digit = data[i++] & 0xFF;
                length += (digit & 0x7F) * multiplier;
                multiplier *= 128;
                if ((digit & 0x80) == 0) {
                    lengthComplete = true;
                    break;
                }
            }
            if (!lengthComplete || data.length - i < length) {
                break;
            }
            int first = data[pos] & 0xFF;
            frames.add(new Frame(first >> 4, first & 0x0F, Arrays.copyOfRange(data, i, i + length)));
            pos = i + length;
        }
        pending.reset();
        pending.write(data, pos, data.length - pos);
    }

    @Override
    public void close() throws IOException {
        frames.clear();
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
        socket.close();
    }
}
