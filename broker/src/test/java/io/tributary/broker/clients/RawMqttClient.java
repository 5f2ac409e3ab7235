package io.tributary.broker.clients;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
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
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A deliberately dumb MQTT client for tests that must see or send exact packets: it writes whatever it
 * is told (valid or not) and returns every packet the broker sends, decoded by Netty's codec. It never
 * acknowledges anything by itself.
 */
public final class RawMqttClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(10 * 1024 * 1024));
    private final Deque<MqttMessage> received = new ArrayDeque<>();

    public RawMqttClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends CONNECT and returns the broker's answer (CONNACK), failing if none comes. */
    public MqttMessage connect(MqttVersion version, String clientId, boolean cleanStart, MqttProperties properties)
            throws IOException {
        MqttConnectMessage connect = MqttMessageBuilders.connect()
                .protocolVersion(version)
                .clientId(clientId)
                .cleanSession(cleanStart)
                .keepAlive(60)
                .properties(properties == null ? MqttProperties.NO_PROPERTIES : properties)
                .build();
        send(connect);
        return expect(MqttMessageType.CONNACK, Duration.ofSeconds(5));
    }

    /** Encodes {@code message} with the MQTT version the encoder last saw in a CONNECT, and sends it. */
    public void send(MqttMessage message) throws IOException {
        if (message.fixedHeader().messageType() == MqttMessageType.CONNECT) {
            MqttConnectMessage connect = (MqttConnectMessage) message;
            MqttVersion version = MqttVersion.fromProtocolNameAndLevel(connect.variableHeader().name(),
                    (byte) connect.variableHeader().version());
            // Let both codecs know the version, as a real client would after CONNECT.
            encoder.attr(io.netty.util.AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(version);
            decoder.attr(io.netty.util.AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(version);
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

    /** Sends raw bytes, for malformed packets. */
    public void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a PUBLISH. */
    public void publish(String topic, byte[] payload, int qos, boolean retain, int packetId, boolean dup,
                        MqttProperties properties) throws IOException {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0);
        send(new io.netty.handler.codec.mqtt.MqttPublishMessage(header,
                new io.netty.handler.codec.mqtt.MqttPublishVariableHeader(topic, packetId,
                        properties == null ? MqttProperties.NO_PROPERTIES : properties),
                Unpooled.wrappedBuffer(payload)));
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

    /** The next packet from the broker, or null if none arrives in time or the connection closed. */
    public MqttMessage next(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            byte[] buffer = new byte[65536];
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                return null; // reset by the broker
            }
            if (n < 0) {
                return null;
            }
            decoder.writeInbound(Unpooled.wrappedBuffer(buffer, 0, n));
            Object decoded;
            while ((decoded = decoder.readInbound()) != null) {
                MqttMessage message = (MqttMessage) decoded;
                received.add(message);
            }
        }
        return received.poll();
    }

    /** The next packet, which must be of {@code type}; a PUBLISH's payload is copied so nothing leaks. */
    public MqttMessage expect(MqttMessageType type, Duration timeout) throws IOException {
        MqttMessage message = next(timeout);
        if (message == null) {
            throw new AssertionError("expected " + type + " but got nothing (closed: " + isClosed(Duration.ZERO) + ")");
        }
        if (message.fixedHeader().messageType() != type) {
            throw new AssertionError("expected " + type + " but got " + message);
        }
        return message;
    }

    /** True if the broker closed the connection within {@code timeout} (packets before the close are kept). */
    public boolean isClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            byte[] buffer = new byte[65536];
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
            if (n < 0) {
                return true;
            }
            decoder.writeInbound(Unpooled.wrappedBuffer(buffer, 0, n));
            Object decoded;
            while ((decoded = decoder.readInbound()) != null) {
                received.add((MqttMessage) decoded);
            }
            if (left <= 0) {
                return false;
            }
        }
    }

    /** The packet identifier of a PUBLISH, PUBACK, PUBREC, PUBREL or PUBCOMP. */
    public static int packetId(MqttMessage message) {
        Object header = message.variableHeader();
        if (header instanceof io.netty.handler.codec.mqtt.MqttPublishVariableHeader publish) {
            return publish.packetId();
        }
        return ((MqttMessageIdVariableHeader) header).messageId();
    }

    @Override
    public void close() throws IOException {
        for (MqttMessage m : received) {
            ReferenceCountUtil.release(m);
        }
        received.clear();
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
        socket.close();
    }
}
