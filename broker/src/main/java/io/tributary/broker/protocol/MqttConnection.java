package io.tributary.broker.protocol;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.tributary.broker.ClientInfo;
import io.tributary.broker.Permissions;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.logging.LogSafe;
import io.tributary.broker.session.ClientLink;
import io.tributary.broker.session.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: dispatches decoded packets to the handler for their type, and is the link
 * its session writes through.
 *
 * <p>Concurrency: every field is touched only on the channel's event loop, except in {@link #takeOver()} and
 * {@link #disconnectByOperator()} (hand over to the event loop) and {@link #client()} (set before the session is
 * attached, read through the session's monitor).
 */
public final class MqttConnection extends ChannelInboundHandlerAdapter implements ClientLink {
    private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);
    /** The channel attribute in which Netty's MQTT codec keeps the protocol version it decoded. */
    private static final AttributeKey<MqttVersion> CODEC_VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");
    /** More packets than this before CONNACK is not what a client does: the connection is closed. */
    static final int MAX_HELD_PACKETS = 1_000;
    /** The client sets no Maximum Packet Size: the protocol's own limit applies. */
    static final long UNLIMITED = Long.MAX_VALUE;
    /** Reading paused: an MQTT 3.1.1 client has too many acknowledgements held back. */
    static final int PAUSED_FOR_ACKS = 1;
    /** Reading paused: the client publishes faster than {@code max-publish-rate} or its bytes limit. */
    static final int PAUSED_FOR_RATE = 2;
    /** Reading paused: the CONNECT is being authenticated; what arrives meanwhile waits for CONNACK. */
    static final int PAUSED_FOR_CONNECT = 4;
    /** Reading stopped: the server is shutting down and only writes the acknowledgements it owes. */
    static final int PAUSED_FOR_SHUTDOWN = 8;
    /**
     * Reading paused: the client publishes QoS 0 messages to a subscriber whose queue is full; it is read again
     * once that queue is half empty (or its subscriber was found stuck).
     */
    static final int PAUSED_FOR_SUBSCRIBERS = 16;
    /** How long a stopping server waits for the acknowledgements it owes a client before closing anyway. */
    static final Duration SHUTDOWN_ACK_WAIT = Duration.ofSeconds(5);
    /** The pauses during which packets already read are held rather than handled. */
    private static final int HOLDING = PAUSED_FOR_RATE | PAUSED_FOR_CONNECT;

    final ProtocolContext context;
    final ListenerConfig listener;
    Channel channel;

    boolean connected;
    int protocolVersion = 4;
    String clientId;
    ClientInfo clientInfo;
    /** What the client may do, set at CONNECT; nothing before. */
    Permissions permissions = Permissions.DENY_ALL;
    Session session;
    long sessionExpirySeconds;
    boolean normalDisconnect;
    boolean willOnDisconnect;
    int clientReceiveMaximum = 65535;
    long clientMaximumPacketSize = UNLIMITED;
    int clientTopicAliasMaximum;
    /** Topic aliases this server assigned, made on the first one: most connections never use one. */
    private Map<String, Integer> outboundAliases;
    /**
     * The connection's one timer: until CONNECT, the connect timeout; after it, the keep-alive check. One task on
     * the event loop's scheduler, rather than a keep-alive handler in every pipeline.
     */
    private ScheduledFuture<?> timer;
    /** One and a half keep-alives, in nanoseconds; 0 when the client asked for none. */
    private long keepAliveNanos;
    /** When the socket last gave bytes (even half a packet), for the keep-alive check. */
    private long lastReadNanos;
    /** The reasons ({@code PAUSED_FOR_...} bits) for which the socket is not read now; read when none is left. */
    private int readingPausedBy;
    /**
     * Packets decoded from bytes read before a pause for the publish rate or the CONNECT's authentication took
     * effect, handled in order once it is over. Bounded by what one read of the socket returns, as nothing more is
     * read meanwhile, and by {@link #MAX_HELD_PACKETS}. Made when the first packet is held: an idle connection
     * carries none.
     */
    private ArrayDeque<MqttMessage> held;

    private final InboundPublishHandler publishes;
    /** Made on the first SUBSCRIBE or UNSUBSCRIBE: a publisher or an idle client never needs one. */
    private SubscribeHandler subscribes;

    public MqttConnection(ProtocolContext context, ListenerConfig listener) {
        this.context = context;
        this.listener = listener;
        this.publishes = new InboundPublishHandler(this); // after the context, which it reads
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        context.channels().add(channel);
        context.counters().connections.increment();
        timer = ctx.executor().schedule(() -> {
            if (!connected) {
                log.debug("closing {}: no CONNECT within {} s", channel.remoteAddress(),
                        context.config().connectTimeoutSeconds());
                channel.close();
            }
        }, context.config().connectTimeoutSeconds(), TimeUnit.SECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if ((readingPausedBy & HOLDING) != 0 || hasHeld()) {
            if (held == null) {
                held = new ArrayDeque<>();
            }
            if (held.size() < MAX_HELD_PACKETS) {
                held.addLast(packet); // its reference goes with it
                return;
            }
            ReferenceCountUtil.release(packet);
            log.debug("closing {}: more than {} packets held", channel.remoteAddress(), MAX_HELD_PACKETS);
            channel.close();
            return;
        }
        handle(packet);
    }

    /** Handles one decoded packet and releases it. */
    private void handle(MqttMessage packet) {
        try {
            if (packet.decoderResult().isFailure()) {
                onUndecodable(packet.decoderResult().cause());
                return;
            }
            dispatch(packet);
        } finally {
            ReferenceCountUtil.release(packet);
        }
    }

    private void dispatch(MqttMessage packet) {
        MqttMessageType type = packet.fixedHeader().messageType();
        if (!connected) {
            if (type == MqttMessageType.CONNECT && channel.isActive()) {
                new ConnectHandler(this).handle((MqttConnectMessage) packet);
            } else {
                // The first packet must be CONNECT [MQTT-3.1.0-1]; nothing else is processed before CONNACK.
                channel.close();
            }
            return;
        }
        switch (type) {
            case PUBLISH -> publishes.onPublish((MqttPublishMessage) packet);
            case PUBACK -> session.onPuback(packetId(packet));
            case PUBREC -> onPubrec(packet);
            case PUBREL -> publishes.onPubrel(packetId(packet));
            case PUBCOMP -> session.onPubcomp(packetId(packet));
            case SUBSCRIBE -> subscribes().onSubscribe((MqttSubscribeMessage) packet);
            case UNSUBSCRIBE -> subscribes().onUnsubscribe((MqttUnsubscribeMessage) packet);
            case PINGREQ -> channel.write(MqttMessage.PINGRESP);
            case DISCONNECT -> onDisconnect(packet);
            case CONNECT -> protocolError("a second CONNECT [MQTT-3.1.0-2]");
            case AUTH -> protocolError("AUTH without an Authentication Method in CONNECT [MQTT-4.12.0-1]");
            default -> protocolError(type + " is never sent by a client");
        }
    }

    private SubscribeHandler subscribes() {
        if (subscribes == null) {
            subscribes = new SubscribeHandler(this);
        }
        return subscribes;
    }

    private void onPubrec(MqttMessage packet) {
        int packetId = packetId(packet);
        boolean failed = packet.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply
                && (reply.reasonCode() & 0x80) != 0;
        CompletableFuture<Void> released = session.onPubrec(packetId, failed);
        if (failed) {
            return;
        }
        if (released != null && released.isDone()) {
            writePubrel(packetId);
        } else if (released != null) {
            // In a persistent session the PUBREC is on disk before the PUBREL leaves (Session.onPubrec).
            released.whenComplete((ignored, failure) -> channel.eventLoop().execute(() -> {
                writePubrel(packetId);
                flush();
            }));
        } else if (protocolVersion == 5) {
            writeReply(MqttMessageType.PUBREL, packetId, MqttReasonCodes.PubRel.PACKET_IDENTIFIER_NOT_FOUND.byteValue());
        } else {
            writePubrel(packetId);
        }
    }

    private void onDisconnect(MqttMessage packet) {
        normalDisconnect = true;
        if (protocolVersion == 5 && packet.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
            willOnDisconnect = header.reasonCode() == MqttReasonCodes.Disconnect.DISCONNECT_WITH_WILL_MESSAGE.byteValue();
            Integer expiry = MqttPropertiesMapper.intValue(header.properties(),
                    MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL);
            if (expiry != null) {
                if (sessionExpirySeconds == 0 && expiry != 0) {
                    normalDisconnect = false; // a protocol error is not a normal disconnect: the will goes out
                    protocolError("Session Expiry Interval set on DISCONNECT after 0 on CONNECT [MQTT-3.14.2-2]");
                    return;
                }
                sessionExpirySeconds = Math.min(Integer.toUnsignedLong(expiry), context.config().maxSessionExpirySeconds());
            }
        }
        channel.close();
    }

    private void onUndecodable(Throwable cause) {
        log.debug("malformed packet from {}: {}", channel.remoteAddress(), LogSafe.text(cause.toString()));
        if (!connected) {
            MqttVersion codecVersion = channel.attr(CODEC_VERSION).get();
            boolean v5 = codecVersion == MqttVersion.MQTT_5;
            if (cause instanceof MqttUnacceptableProtocolVersionException) {
                // Answered in the 3.1.1 format the client can read whatever it speaks [MQTT-3.1.2-2].
                Disconnects.refuse(channel, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, null,
                        UNLIMITED);
            } else if (cause instanceof MqttIdentifierRejectedException) {
                Disconnects.refuse(channel, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                        : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, cause.getMessage(), UNLIMITED);
            } else if (v5) {
                Disconnects.refuse(channel, cause instanceof TooLongFrameException
                        ? MqttConnectReturnCode.CONNECTION_REFUSED_PACKET_TOO_LARGE
                        : MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET, cause.getMessage(), UNLIMITED);
            } else {
                channel.close();
            }
            return;
        }
        byte reason;
        if (cause instanceof TooLongFrameException) {
            reason = MqttReasonCodes.Disconnect.PACKET_TOO_LARGE.byteValue();
        } else if (String.valueOf(cause.getMessage()).startsWith("invalid publish topic name")) {
            reason = MqttReasonCodes.Disconnect.TOPIC_NAME_INVALID.byteValue();
        } else {
            reason = MqttReasonCodes.Disconnect.MALFORMED_PACKET.byteValue();
        }
        Disconnects.close(channel, protocolVersion, reason, cause.getMessage(), clientMaximumPacketSize);
    }

    /** Closes the connection for a protocol violation (MQTT 5: DISCONNECT 0x82). */
    void protocolError(String reason) {
        close(MqttReasonCodes.Disconnect.PROTOCOL_ERROR.byteValue(), reason);
    }

    /** Closes the connection; MQTT 5 clients are told {@code reasonCode} and why. */
    void close(byte reasonCode, String reason) {
        log.debug("closing {} ({}): {}", LogSafe.text(clientId), channel.remoteAddress(), LogSafe.text(reason));
        Disconnects.close(channel, protocolVersion, reasonCode, reason, clientMaximumPacketSize);
    }

    /** Stops reading the socket for {@code reason}, or takes that reason back; another may still hold it. */
    void pauseReading(int reason, boolean paused) {
        readingPausedBy = paused ? readingPausedBy | reason : readingPausedBy & ~reason;
        if (!paused && (reason & HOLDING) != 0) {
            handleHeld();
        }
        channel.config().setAutoRead(readingPausedBy == 0);
    }

    /** Handles the held packets in order, until the next pause that holds them or the last of them. */
    private void handleHeld() {
        boolean handled = false;
        while (hasHeld() && (readingPausedBy & HOLDING) == 0) {
            MqttMessage next = held.pollFirst();
            if (channel.isActive()) {
                handle(next);
                handled = true;
            } else {
                ReferenceCountUtil.release(next);
            }
        }
        if (handled) {
            channel.flush();
        }
    }

    /** Stops reading and holds the packets already read until {@link #releasePackets()}: CONNECT is being decided. */
    void holdPackets() {
        pauseReading(PAUSED_FOR_CONNECT, true);
    }

    /**
     * Reads again and handles the held packets in order if the CONNECT was accepted; after a refusal they are
     * dropped and nothing more is read (a second CONNECT must not get a second try).
     */
    void releasePackets() {
        if (connected && channel.isActive()) {
            pauseReading(PAUSED_FOR_CONNECT, false);
            return;
        }
        releaseHeld();
    }

    private boolean hasHeld() {
        return held != null && !held.isEmpty();
    }

    private void releaseHeld() {
        if (held != null) {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
        }
    }

    /** Called by {@link ConnectHandler} once CONNACK has been written. */
    void connected() {
        connected = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /**
     * Closes the connection once the socket gave no byte for {@code nanos} (one and a half keep-alives), checked on
     * the event loop; while the broker itself does not read the socket, the silence is not the client's fault.
     */
    void watchKeepAlive(long nanos) {
        keepAliveNanos = nanos;
        lastReadNanos = System.nanoTime();
        timer = channel.eventLoop().schedule(this::checkKeepAlive, nanos, TimeUnit.NANOSECONDS);
    }

    private void checkKeepAlive() {
        if (!channel.isActive()) {
            return;
        }
        long silent = System.nanoTime() - lastReadNanos;
        long next = keepAliveNanos - silent;
        if (next <= 0) {
            if (readingPausedBy == 0) {
                // Nothing received for 1.5 times the keep-alive [MQTT-3.1.2-24 (3.1.1), MQTT-3.1.2-22 (5.0)].
                close(MqttReasonCodes.Disconnect.KEEP_ALIVE_TIMEOUT.byteValue(), "keep alive timeout");
                return;
            }
            next = keepAliveNanos; // the broker stopped reading: look again a keep-alive later
        }
        timer = channel.eventLoop().schedule(this::checkKeepAlive, next, TimeUnit.NANOSECONDS);
    }

    /** After every read of the socket, whole packets or not: the client is alive; what the read produced leaves. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (keepAliveNanos != 0) {
            lastReadNanos = System.nanoTime();
        }
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable() && session != null) {
            session.resumeWriting();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        context.counters().connections.decrement();
        releaseHeld();
        if (timer != null) {
            timer.cancel(false);
        }
        if (session != null) {
            boolean publishWill = !normalDisconnect || willOnDisconnect;
            context.sessions().disconnected(session, this, publishWill, sessionExpirySeconds);
            log.debug("{} disconnected{}", LogSafe.text(clientId), normalDisconnect ? "" : " without DISCONNECT");
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause.getCause() instanceof javax.net.ssl.SSLException) {
            log.debug("connection {} failed: {}", LogSafe.text(clientId), LogSafe.text(cause.toString()));
        } else {
            log.warn("closing connection {} after an unexpected error", LogSafe.text(clientId), cause);
        }
        ctx.close();
    }

    // ClientLink: how the session writes to this connection.

    @Override
    public Permissions permissions() {
        return permissions;
    }

    @Override
    public String username() {
        ClientInfo client = clientInfo;
        return client == null ? null : client.username();
    }

    @Override
    public ClientInfo client() {
        return clientInfo;
    }

    @Override
    public void disconnectByOperator() {
        channel.eventLoop().execute(() -> close(MqttReasonCodes.Disconnect.ADMINISTRATIVE_ACTION.byteValue(),
                "disconnected by an operator"));
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public int receiveMaximum() {
        return clientReceiveMaximum;
    }

    @Override
    public boolean fits(OutboundMessage message) {
        return clientMaximumPacketSize == UNLIMITED
                || PacketSize.ofPublish(message, protocolVersion == 5) <= clientMaximumPacketSize;
    }

    @Override
    public void writePublish(OutboundMessage outbound, int packetId, boolean duplicate) {
        String topic = outbound.message().topic();
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (protocolVersion == 5) {
            int alias = 0;
            if (clientTopicAliasMaximum > 0) {
                if (outboundAliases == null) {
                    outboundAliases = new HashMap<>();
                }
                Integer known = outboundAliases.get(topic);
                if (known != null && aliasedFormFits(outbound, true)) {
                    alias = known;
                    topic = "";
                } else if (known == null && outboundAliases.size() < clientTopicAliasMaximum
                        && aliasedFormFits(outbound, false)) {
                    alias = outboundAliases.size() + 1;
                    outboundAliases.put(topic, alias);
                }
            }
            properties = MqttPropertiesMapper.forPublish(outbound, System.currentTimeMillis(), alias);
        }
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, duplicate,
                MqttQoS.valueOf(outbound.qos().value()), outbound.retain(), 0);
        MqttPublishMessage publish = new MqttPublishMessage(header,
                new MqttPublishVariableHeader(topic, packetId, properties),
                Unpooled.wrappedBuffer(outbound.message().payload()));
        channel.write(publish, channel.voidPromise());
        context.counters().messagesSent.increment(outbound.qos());
    }

    /** A Topic Alias adds three bytes: use one only if the packet still fits the client's maximum. */
    private boolean aliasedFormFits(OutboundMessage outbound, boolean topicOmitted) {
        return clientMaximumPacketSize == UNLIMITED
                || PacketSize.ofPublish(outbound, true, true, topicOmitted) <= clientMaximumPacketSize;
    }

    @Override
    public void writePubrel(int packetId) {
        // PUBREL has QoS 1 in its fixed header [MQTT-3.6.1-1].
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBREL, false, MqttQoS.AT_LEAST_ONCE, false, 0);
        channel.write(new MqttMessage(header, MqttMessageIdVariableHeader.from(packetId)), channel.voidPromise());
    }

    /** Writes a PUBACK, PUBREC, PUBREL or PUBCOMP with a reason code (sent only to MQTT 5 clients). */
    void writeReply(MqttMessageType type, int packetId, byte reasonCode) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        MqttFixedHeader header = new MqttFixedHeader(type, false, qos, false, 0);
        Object variableHeader = protocolVersion == 5
                ? new MqttPubReplyMessageVariableHeader(packetId, reasonCode, MqttProperties.NO_PROPERTIES)
                : MqttMessageIdVariableHeader.from(packetId);
        channel.write(new MqttMessage(header, variableHeader), channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void takeOver() {
        EventLoop loop = channel.eventLoop();
        loop.execute(() -> close(MqttReasonCodes.Disconnect.SESSION_TAKEN_OVER.byteValue(), "session taken over"));
    }

    @Override
    public void closeStuck(String why) {
        channel.eventLoop().execute(() -> close(MqttReasonCodes.Disconnect.QUOTA_EXCEEDED.byteValue(), why));
    }

    /**
     * Tells an MQTT 5 client the server is shutting down (0x8B) and closes; its session stays. First it stops
     * reading and waits, up to {@link #SHUTDOWN_ACK_WAIT}, for the PUBACKs and PUBRECs it still owes the client:
     * the routes go on delivering while the broker stops, and a message a sink took but the client was not told of
     * would be sent again after the restart, and written twice, even at QoS 2.
     */
    public void serverShuttingDown() {
        pauseReading(PAUSED_FOR_SHUTDOWN, true);
        closeOnceAcknowledged(System.nanoTime() + SHUTDOWN_ACK_WAIT.toNanos());
    }

    private void closeOnceAcknowledged(long deadline) {
        if (!channel.isActive()) {
            return;
        }
        if (publishes.acks.allWritten() || System.nanoTime() - deadline >= 0) {
            close(MqttReasonCodes.Disconnect.SERVER_SHUTTING_DOWN.byteValue(), "server shutting down");
        } else {
            channel.eventLoop().schedule(() -> closeOnceAcknowledged(deadline), 10, TimeUnit.MILLISECONDS);
        }
    }

    private static int packetId(MqttMessage packet) {
        return ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId();
    }
}
