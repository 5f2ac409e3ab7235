package io.tributary.broker.protocol;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.delivery.PublisherAcks;
import io.tributary.broker.topic.TopicName;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The publisher side of QoS 0, 1 and 2: validates an incoming PUBLISH, hands it to the publish path and
 * leaves its acknowledgement to {@link PublisherAcks}, which writes it through this handler once everything
 * that holds it has completed, in the order the PUBLISH packets arrived.
 *
 * <p>Concurrency: touched only on the connection's event loop; completions from elsewhere are handed
 * back to it.
 */
final class InboundPublishHandler implements PublisherAcks.AckChannel {
    private final MqttConnection connection;
    /** What this client is owed; it is also the publisher that subscribers which are behind pause. */
    final PublisherAcks acks;
    private String[] topicAliases;
    private final PublishRateLimit rateLimit;
    /** Whether reading is paused until this client's publish rate is back under its limit. */
    private boolean ratePaused;

    InboundPublishHandler(MqttConnection connection) {
        this.connection = connection;
        this.acks = new PublisherAcks(this, connection.context.counters());
        this.rateLimit = new PublishRateLimit(connection.context.config(), System.nanoTime());
    }

    void onPublish(MqttPublishMessage publish) {
        if (rateLimit.isOn()) {
            limitRate(publish.payload().readableBytes());
        }
        MqttFixedHeader fixed = publish.fixedHeader();
        MqttPublishVariableHeader header = publish.variableHeader();
        int qos = fixed.qosLevel().value();
        int packetId = header.packetId();
        boolean v5 = connection.protocolVersion == 5;
        ProtocolContext context = connection.context;
        MqttProperties properties = header.properties();

        if (qos == 0 && fixed.isDup()) {
            connection.close(MqttReasonCodes.Disconnect.MALFORMED_PACKET.byteValue(),
                    "DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2]");
            return;
        }
        if (qos > 0 && v5 && unacknowledged() >= context.config().maxInFlight()) {
            connection.close(MqttReasonCodes.Disconnect.RECEIVE_MAXIMUM_EXCEEDED.byteValue(),
                    "more unacknowledged QoS 1/2 publishes than Receive Maximum " + context.config().maxInFlight());
            return;
        }
        String topic = header.topicName();
        if (v5) {
            topic = resolveAlias(topic, properties);
            if (topic == null) {
                return;
            }
            if (MqttPropertiesMapper.has(properties, MqttPropertyType.SUBSCRIPTION_IDENTIFIER)) {
                connection.protocolError("a client's PUBLISH must not carry a Subscription Identifier [MQTT-3.3.4-6]");
                return;
            }
        }
        String topicProblem = TopicName.problemWith(topic);
        if (topicProblem != null) {
            connection.close(TopicName.isMalformed(topic) ? MqttReasonCodes.Disconnect.MALFORMED_PACKET.byteValue()
                    : MqttReasonCodes.Disconnect.TOPIC_NAME_INVALID.byteValue(), topicProblem);
            return;
        }
        String limitProblem = TopicName.limitProblem(topic, context.config().maxTopicLength(),
                context.config().maxTopicLevels());
        if (limitProblem != null) {
            // Well formed, but past what this broker accepts: refused like a topic name it cannot take.
            connection.close(MqttReasonCodes.Disconnect.TOPIC_NAME_INVALID.byteValue(), limitProblem);
            return;
        }
        if (qos == 2 && !connection.session.startInboundQos2(packetId)) {
            // A retransmission of a QoS 2 PUBLISH not yet released: acknowledge, do not deliver twice
            // [MQTT-4.3.3-10] (3.1.1: [MQTT-4.3.3-2]).
            acks.acknowledge(packetId, qos, (byte) 0);
            return;
        }
        MessageProperties messageProperties = v5 ? MqttPropertiesMapper.toMessageProperties(properties)
                : MessageProperties.NONE;
        byte[] payload = ByteBufUtil.getBytes(publish.payload());
        if (messageProperties.payloadUtf8() && !isUtf8(payload)) {
            refuse(packetId, qos, MqttReasonCodes.PubAck.PAYLOAD_FORMAT_INVALID.byteValue());
            return;
        }
        if (TopicName.isSys(topic) || !connection.permissions.mayPublish(topic)) {
            // $SYS topics are the broker's own, as in Mosquitto.
            // MQTT 3.1.1 has no negative acknowledgement: acknowledge and drop (section 4.7 of its spec allows it).
            context.counters().droppedNotAuthorized.increment();
            refuse(packetId, qos, v5 ? MqttReasonCodes.PubAck.NOT_AUTHORIZED.byteValue() : 0);
            return;
        }
        Message message = new Message(topic, payload, QoS.of(qos), fixed.isRetain(), messageProperties,
                connection.clientId, System.currentTimeMillis());
        if (v5 && qos > 0 && message.retain() && payload.length > 0 && context.publishing().refusesRetained(message)) {
            // MQTT 5 can say no: the message is refused whole, neither retained nor delivered. A QoS 0 or MQTT 3.1.1
            // publisher cannot be told, so its message is delivered and only the retain is dropped (PublishService).
            refuse(packetId, qos, MqttReasonCodes.PubAck.QUOTA_EXCEEDED.byteValue());
            return;
        }
        CompletionStage<Void> hold = context.publishing().publish(message, acks, true);
        if (qos == 2) {
            hold = connection.session.recordAcceptedQos2(packetId, hold);
        }
        if (qos > 0) {
            acks.await(packetId, qos, hold);
        } else {
            acks.stopReadingWhilePaused();
        }
    }

    /**
     * QoS 1/2 publishes the client counts against our Receive Maximum: QoS 1 until PUBACK, QoS 2 until
     * PUBCOMP, which we send as soon as PUBREL arrives (MQTT 5 section 4.9).
     */
    private int unacknowledged() {
        return acks.unacknowledgedQos1() + connection.session.inboundQos2Count();
    }

    /** PUBREL: the QoS 2 packet identifier is free again; answer with PUBCOMP [MQTT-4.3.3-11]. */
    void onPubrel(int packetId) {
        boolean known = connection.session.releaseInboundQos2(packetId);
        byte reason = known ? 0 : MqttReasonCodes.PubComp.PACKET_IDENTIFIER_NOT_FOUND.byteValue();
        connection.writeReply(MqttMessageType.PUBCOMP, packetId, reason);
    }

    // AckChannel: how the publisher's acknowledgements reach this connection.

    @Override
    public Executor eventLoop() {
        return connection.eventLoop();
    }

    @Override
    public boolean isOpen() {
        return connection.channel.isActive();
    }

    /** An accepted QoS 2 message is marked so, and is then kept across a restart. */
    @Override
    public void decided(int packetId, int qos, byte reasonCode) {
        if (qos == 2 && !PublisherAcks.isFailure(reasonCode)) {
            connection.session.acceptInboundQos2(packetId);
        }
    }

    @Override
    public boolean write(int packetId, int qos, byte reasonCode) {
        boolean failed = PublisherAcks.isFailure(reasonCode);
        if (failed && connection.protocolVersion != 5) {
            // No negative acknowledgement in 3.1.1: close, so the client publishes again.
            connection.channel.close();
            return false;
        }
        if (qos == 2 && failed) {
            connection.session.abandonInboundQos2(packetId);
        }
        connection.writeReply(qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC, packetId, reasonCode);
        return true;
    }

    @Override
    public void flush() {
        connection.flush();
    }

    @Override
    public boolean hasNegativeAcknowledgements() {
        return connection.protocolVersion == 5;
    }

    /**
     * An MQTT 3.1.1 client has no Receive Maximum: past our in-flight limit of held acknowledgements its socket
     * is no longer read. An MQTT 5 client over our Receive Maximum is disconnected (0x93): keep reading to see it.
     */
    @Override
    public int readingLimit() {
        return connection.protocolVersion == 5 ? 0 : connection.context.config().maxInFlight();
    }

    @Override
    public void setReading(boolean read) {
        connection.pauseReading(MqttConnection.PAUSED_FOR_ACKS, !read);
    }

    @Override
    public void pauseReadingForSubscribers(boolean paused) {
        connection.pauseReading(MqttConnection.PAUSED_FOR_SUBSCRIBERS, paused);
    }

    /**
     * Every PUBLISH read counts, even one refused later: it was read and handled. Over the limit, the socket is
     * not read until the rate is back under it; what was read already is handled meanwhile.
     */
    private void limitRate(int payloadBytes) {
        long waitNanos = rateLimit.onPublish(payloadBytes, System.nanoTime());
        if (waitNanos > 0 && !ratePaused) {
            ratePaused = true;
            connection.pauseReading(MqttConnection.PAUSED_FOR_RATE, true);
            connection.channel.eventLoop().schedule(() -> {
                ratePaused = false;
                connection.pauseReading(MqttConnection.PAUSED_FOR_RATE, false);
            }, waitNanos, TimeUnit.NANOSECONDS);
        }
    }

    private String resolveAlias(String topic, MqttProperties properties) {
        Integer alias = MqttPropertiesMapper.intValue(properties, MqttPropertyType.TOPIC_ALIAS);
        if (alias == null) {
            if (topic.isEmpty()) {
                connection.protocolError("a PUBLISH needs a topic name or a topic alias [MQTT-3.3.2-1]");
                return null;
            }
            return topic;
        }
        int maximum = connection.context.config().topicAliasMaximum();
        if (alias == 0 || alias > maximum) {
            connection.close(MqttReasonCodes.Disconnect.TOPIC_ALIAS_INVALID.byteValue(),
                    "topic alias " + alias + " is outside 1.." + maximum + " [MQTT-3.3.2-9, MQTT-3.3.2-10]");
            return null;
        }
        if (topicAliases == null) {
            topicAliases = new String[maximum + 1];
        }
        if (topic.isEmpty()) {
            String known = topicAliases[alias];
            if (known == null) {
                connection.protocolError("topic alias " + alias + " was never set");
            }
            return known;
        }
        topicAliases[alias] = topic;
        return topic;
    }

    private void refuse(int packetId, int qos, byte reason) {
        if (qos == 0) {
            return;
        }
        acks.acknowledge(packetId, qos, reason);
    }

    private static boolean isUtf8(byte[] payload) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
