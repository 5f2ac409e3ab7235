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
import io.tributary.broker.PublishRejectedException;
import io.tributary.broker.QoS;
import io.tributary.broker.topic.TopicName;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The publisher side of QoS 0, 1 and 2: validates an incoming PUBLISH, hands it to the publish path and
 * acknowledges it when everything that holds the acknowledgement has completed, in the order the
 * PUBLISH packets arrived [MQTT-4.6.0-2, MQTT-4.6.0-3].
 *
 * <p>Concurrency: touched only on the connection's event loop; completions from elsewhere are handed
 * back to it.
 */
final class InboundPublishHandler {
    private final MqttConnection connection;
    private final ArrayDeque<PendingAck> pending = new ArrayDeque<>();
    private String[] topicAliases;
    private boolean readingPaused;

    InboundPublishHandler(MqttConnection connection) {
        this.connection = connection;
    }

    void onPublish(MqttPublishMessage publish) {
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
        if (qos == 2 && !connection.session.startInboundQos2(packetId)) {
            // A retransmission of a QoS 2 PUBLISH not yet released: acknowledge, do not deliver twice
            // [MQTT-4.3.3-10] (3.1.1: [MQTT-4.3.3-2]).
            enqueueCompleted(packetId, qos, (byte) 0);
            return;
        }
        MessageProperties messageProperties = v5 ? MqttPropertiesMapper.toMessageProperties(properties)
                : MessageProperties.NONE;
        byte[] payload = ByteBufUtil.getBytes(publish.payload());
        if (messageProperties.payloadUtf8() && !isUtf8(payload)) {
            refuse(packetId, qos, MqttReasonCodes.PubAck.PAYLOAD_FORMAT_INVALID.byteValue());
            return;
        }
        if (TopicName.isSys(topic) || !context.authorizer().mayPublish(connection.clientInfo, topic)) {
            // $SYS topics are the broker's own, as in Mosquitto.
            // MQTT 3.1.1 has no negative acknowledgement: acknowledge and drop (section 4.7 of its spec allows it).
            refuse(packetId, qos, v5 ? MqttReasonCodes.PubAck.NOT_AUTHORIZED.byteValue() : 0);
            return;
        }
        Message message = new Message(topic, payload, QoS.of(qos), fixed.isRetain(), messageProperties,
                connection.clientId, System.currentTimeMillis());
        CompletionStage<Void> hold = context.publishing().publish(message, connection, true);
        if (qos == 0) {
            return;
        }
        PendingAck ack = new PendingAck(packetId, qos);
        pending.addLast(ack);
        if (hold == null) {
            complete(ack, (byte) 0);
        } else if (hold instanceof CompletableFuture<Void> future && future.isDone()) {
            complete(ack, reasonFor(future));
        } else {
            hold.whenComplete((ignored, failure) -> connection.eventLoop().execute(() -> {
                complete(ack, failure == null ? 0 : reasonFor(failure));
                flushAcks(true);
            }));
        }
        flushAcks(false);
        limitReading();
    }

    /** Completes {@code ack}; an accepted QoS 2 message is marked so, and is then kept across a restart. */
    private void complete(PendingAck ack, byte reason) {
        ack.complete(reason);
        if (ack.qos == 2 && (reason & 0x80) == 0) {
            connection.session.acceptInboundQos2(ack.packetId);
        }
    }

    /**
     * QoS 1/2 publishes the client counts against our Receive Maximum: QoS 1 until PUBACK, QoS 2 until
     * PUBCOMP, which we send as soon as PUBREL arrives (MQTT 5 section 4.9).
     */
    private int unacknowledged() {
        int qos1 = 0;
        for (PendingAck ack : pending) {
            if (ack.qos == 1) {
                qos1++;
            }
        }
        return qos1 + connection.session.inboundQos2Count();
    }

    /** PUBREL: the QoS 2 packet identifier is free again; answer with PUBCOMP [MQTT-4.3.3-11]. */
    void onPubrel(int packetId) {
        boolean known = connection.session.releaseInboundQos2(packetId);
        byte reason = known ? 0 : MqttReasonCodes.PubComp.PACKET_IDENTIFIER_NOT_FOUND.byteValue();
        connection.writeReply(MqttMessageType.PUBCOMP, packetId, reason);
    }

    /**
     * Writes the acknowledgements that are due, oldest first, unless a subscriber that is behind holds
     * them back (the publisher then waits on its in-flight window: flow control without dropping).
     */
    void flushAcks(boolean flush) {
        if (connection.pauses.get() > 0 || !connection.channel.isActive()) {
            return;
        }
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peekFirst().done) {
            PendingAck ack = pending.pollFirst();
            if ((ack.reason & 0x80) != 0 && connection.protocolVersion != 5) {
                // No negative acknowledgement in 3.1.1: close, so the client publishes again.
                connection.channel.close();
                return;
            }
            if (ack.qos == 2 && (ack.reason & 0x80) != 0) {
                connection.session.abandonInboundQos2(ack.packetId);
            }
            connection.writeReply(ack.qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC, ack.packetId,
                    ack.reason);
            wrote = true;
        }
        if (wrote && flush) {
            connection.flush();
        }
        limitReading();
    }

    /**
     * An MQTT 3.1.1 client has no Receive Maximum; if it keeps publishing while its acknowledgements are
     * held, stop reading from its socket (TCP back-pressure) until half of them went out.
     */
    private void limitReading() {
        if (connection.protocolVersion == 5) {
            return; // an MQTT 5 client over our Receive Maximum is disconnected (0x93): keep reading to see it
        }
        int limit = connection.context.config().maxInFlight();
        if (!readingPaused && pending.size() >= limit) {
            readingPaused = true;
            connection.channel.config().setAutoRead(false);
        } else if (readingPaused && pending.size() <= limit / 2) {
            readingPaused = false;
            connection.channel.config().setAutoRead(true);
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
        enqueueCompleted(packetId, qos, reason);
    }

    private void enqueueCompleted(int packetId, int qos, byte reason) {
        PendingAck ack = new PendingAck(packetId, qos);
        ack.complete(reason);
        pending.addLast(ack);
        flushAcks(false);
    }

    private static byte reasonFor(CompletableFuture<Void> done) {
        try {
            done.join();
            return 0;
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return reasonFor(e.getCause() == null ? e : e.getCause());
        }
    }

    private static byte reasonFor(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof PublishRejectedException rejected) {
            return (byte) rejected.reasonCode();
        }
        return MqttReasonCodes.PubAck.UNSPECIFIED_ERROR.byteValue();
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

    /** A QoS 1/2 acknowledgement waiting for its turn. */
    private static final class PendingAck {
        final int packetId;
        final int qos;
        boolean done;
        byte reason;

        PendingAck(int packetId, int qos) {
            this.packetId = packetId;
            this.qos = qos;
        }

        void complete(byte reasonCode) {
            done = true;
            reason = reasonCode;
        }
    }
}
