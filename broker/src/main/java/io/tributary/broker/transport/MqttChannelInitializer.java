package io.tributary.broker.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.ListenerType;
import io.tributary.broker.admission.ConnectionGate;
import io.tributary.broker.protocol.MqttConnection;
import io.tributary.broker.protocol.ProtocolContext;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds every connection's pipeline, in one place. A socket the {@link ConnectionGate} refuses (too many
 * waiting for CONNECT, or its address connecting too fast) gets no pipeline and is closed at once, before any
 * byte of it is read or a TLS handshake spent on it. From the socket inwards:
 * <ol>
 *   <li>{@code tls}: only on TLS listeners; everything after it sees plain bytes.</li>
 *   <li>{@code byteCounter}: counts bytes as they cross the socket (after TLS, before framing).</li>
 *   <li>WebSocket listeners only: the HTTP codec and aggregator for the upgrade request, the WebSocket
 *       {@code originCheck} (403 to a browser page from an origin not allowed, before the upgrade), the WebSocket
 *       protocol handler (subprotocol {@code mqtt}), a 404 for any other HTTP request, and the frame codec
 *       that turns binary frames into a byte stream.</li>
 *   <li>{@code mqttDecoder} / {@code mqttEncoder}: Netty's codec; the decoder enforces the maximum packet
 *       size.</li>
 *   <li>{@code pendingConnectSlot}: gives the connection's place among those not yet identified back to the
 *       gate when the first packet is decoded (or the connection closes), then leaves.</li>
 *   <li>{@code mqttConnection}: the protocol, and the keep-alive check (any bytes read, even half a packet,
 *       count as activity).</li>
 * </ol>
 */
final class MqttChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** The WebSocket subprotocols we accept: MQTT's registered one, and the name old 3.1 clients use. */
    private static final String SUBPROTOCOLS = "mqtt,mqttv3.1";
    private static final Logger log = LoggerFactory.getLogger(MqttChannelInitializer.class);

    private final ProtocolContext context;
    private final ListenerConfig listener;
    private final ServerTls tls;
    private final ByteCounter byteCounter;

    MqttChannelInitializer(ProtocolContext context, ListenerConfig listener, ServerTls tls) {
        this.context = context;
        this.listener = listener;
        this.tls = tls;
        this.byteCounter = new ByteCounter(context.counters());
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        InetSocketAddress remote = channel.remoteAddress();
        ConnectionGate.Verdict verdict = context.gate().admit(remote == null ? null : remote.getAddress());
        if (verdict != ConnectionGate.Verdict.ADMITTED) {
            log.debug("closed a new connection from {} on {} at once: {}", remote, listener.name(), verdict);
            channel.close();
            return;
        }
        try {
            addHandlers(channel);
        } catch (RuntimeException e) {
            if (channel.pipeline().get(PendingConnectSlot.class) == null) {
                context.gate().connectReceived(); // no slot to give the place back when the channel closes
            }
            throw e;
        }
    }

    private void addHandlers(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (tls != null) {
            // The context of the moment: a renewed certificate applies from the next connection on.
            pipeline.addLast(PipelineNames.TLS, tls.current().newHandler(channel.alloc()));
        }
        pipeline.addLast(PipelineNames.BYTE_COUNTER, byteCounter);
        int maxPacketSize = context.config().maxPacketSize();
        if (listener.transport() == ListenerType.WEBSOCKET) {
            pipeline.addLast(PipelineNames.HTTP_CODEC, new HttpServerCodec());
            pipeline.addLast(PipelineNames.HTTP_AGGREGATOR, new HttpObjectAggregator(65536));
            pipeline.addLast(PipelineNames.ORIGIN_CHECK, new OriginCheck(listener));
            pipeline.addLast(PipelineNames.WEBSOCKET_PROTOCOL, new WebSocketServerProtocolHandler(
                    WebSocketServerProtocolConfig.newBuilder()
                            .websocketPath(listener.path())
                            .subprotocols(SUBPROTOCOLS)
                            .maxFramePayloadLength(Math.max(65536, maxPacketSize))
                            .build()));
            pipeline.addLast(PipelineNames.HTTP_NOT_FOUND, HttpNotFoundHandler.INSTANCE);
            pipeline.addLast(PipelineNames.WEBSOCKET_FRAMES, new WebSocketFrameCodec());
        }
        // Since Netty 4.1.140 the decoder's limit counts the whole packet, fixed header included, as
        // max-packet-size does (MaximumPacketSizeTest holds both ends of it).
        pipeline.addLast(PipelineNames.MQTT_DECODER, new MqttDecoder(maxPacketSize, 65535));
        pipeline.addLast(PipelineNames.MQTT_ENCODER, MqttEncoder.INSTANCE);
        pipeline.addLast(PipelineNames.PENDING_CONNECT_SLOT, new PendingConnectSlot(context.gate()));
        pipeline.addLast(PipelineNames.MQTT_CONNECTION,
                new MqttConnection(context, listener));
    }
}
