package io.tributary.broker.protocol;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.tributary.broker.ClientInfo;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.auth.ConnectAuthentication.Outcome;
import io.tributary.broker.auth.ConnectAuthentication;
import io.tributary.broker.auth.ConnectRefusals.Reason;
import io.tributary.broker.logging.LogSafe;
import io.tributary.broker.session.SessionRegistry;
import io.tributary.broker.session.WillMessage;
import io.tributary.broker.topic.TopicName;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a CONNECT, authenticates it, opens the session and answers with CONNACK (MQTT 3.1.1 section
 * 3.1/3.2, MQTT 5.0 section 3.1/3.2). Authentication may complete on another thread (a password hash never
 * runs on an I/O thread): the rest then continues on the channel's event loop, and the packets that arrive
 * meanwhile are held by the connection until the CONNACK is decided.
 */
final class ConnectHandler {
    private static final Logger log = LoggerFactory.getLogger(ConnectHandler.class);

    private final MqttConnection connection;

    ConnectHandler(MqttConnection connection) {
        this.connection = connection;
    }

    void handle(MqttConnectMessage connect) {
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        int version = header.version() == 5 ? 5 : 4;
        connection.protocolVersion = version;
        boolean v5 = version == 5;
        ProtocolContext context = connection.context;

        String problem = flagProblem(header, v5);
        if (problem != null) {
            refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET : null, problem);
            return;
        }
        MqttProperties properties = header.properties();
        // The client's limits first: even a refusal must respect its Maximum Packet Size [MQTT-3.2.2-19].
        if (v5) {
            Integer receiveMaximum = MqttPropertiesMapper.intValue(properties, MqttPropertyType.RECEIVE_MAXIMUM);
            Integer maxPacket = MqttPropertiesMapper.intValue(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE);
            if ((receiveMaximum != null && receiveMaximum == 0) || (maxPacket != null && maxPacket == 0)) {
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR,
                        "Receive Maximum and Maximum Packet Size must not be 0");
                return;
            }
            if (receiveMaximum != null) {
                connection.clientReceiveMaximum = receiveMaximum;
            }
            if (maxPacket != null) {
                connection.clientMaximumPacketSize = Integer.toUnsignedLong(maxPacket);
            }
            Integer aliasMaximum = MqttPropertiesMapper.intValue(properties, MqttPropertyType.TOPIC_ALIAS_MAXIMUM);
            connection.clientTopicAliasMaximum = aliasMaximum == null ? 0 : aliasMaximum;
        }

        if (v5 && MqttPropertiesMapper.has(properties, MqttPropertyType.AUTHENTICATION_METHOD)) {
            // Enhanced authentication is not offered [MQTT-4.12.0-1].
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                    "enhanced authentication is not supported");
            return;
        }
        if (context.counters().connections.sum() > context.config().maxConnections()) {
            refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "too many connections");
            return;
        }
        String clientId = payload.clientIdentifier() == null ? "" : payload.clientIdentifier();
        boolean assigned = false;
        if (clientId.isEmpty()) {
            if (!v5 && !header.isCleanSession()) {
                // A zero-length client id needs a clean session in 3.1.1 [MQTT-3.1.3-8].
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, null);
                return;
            }
            clientId = "auto-" + UUID.randomUUID().toString().replace("-", "");
            assigned = true;
        } else if (clientId.indexOf('\u0000') >= 0 || clientId.indexOf('\uFFFD') >= 0) {
            refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client identifier is not valid UTF-8");
            return;
        }
        connection.clientId = clientId;
        // identity-as-username: the verified certificate's CN is the username, and no password is asked.
        String certificateIdentity = null;
        if (connection.listener.tls() != null && connection.listener.tls().identityAsUsername()) {
            certificateIdentity = CertificateIdentity.commonName(connection.channel).orElse(null);
            if (certificateIdentity == null) {
                refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "no client certificate with a CN");
                return;
            }
        }
        ClientInfo client = new ClientInfo(clientId,
                certificateIdentity != null ? certificateIdentity : payload.userName(),
                (InetSocketAddress) connection.channel.remoteAddress(), connection.listener.name(), version,
                certificateIdentity);
        connection.clientInfo = client;
        connection.permissions = context.authorizer().forClient(client);

        WillMessage will = null;
        if (header.isWillFlag()) {
            String willTopic = payload.willTopic();
            String topicProblem = TopicName.problemWith(willTopic);
            if (topicProblem == null) {
                topicProblem = TopicName.limitProblem(willTopic, context.config().maxTopicLength(),
                        context.config().maxTopicLevels());
            }
            if (topicProblem != null) {
                refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID : null, "will " + topicProblem);
                return;
            }
            if (TopicName.isSys(willTopic) || !connection.permissions.mayPublish(willTopic)) {
                refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "will topic not authorized");
                return;
            }
            MqttProperties willProperties = payload.willProperties();
            MessageProperties messageProperties = v5 ? MqttPropertiesMapper.toMessageProperties(willProperties)
                    : MessageProperties.NONE;
            Integer delay = v5 ? MqttPropertiesMapper.intValue(willProperties, MqttPropertyType.WILL_DELAY_INTERVAL) : null;
            byte[] willPayload = payload.willMessageInBytes() == null ? new byte[0] : payload.willMessageInBytes();
            Message willMessage = new Message(willTopic, willPayload, QoS.of(header.willQos()), header.isWillRetain(),
                    messageProperties, clientId, System.currentTimeMillis());
            will = new WillMessage(willMessage, delay == null ? 0 : Integer.toUnsignedLong(delay));
        }

        boolean hasCredentials = header.hasUserName() || header.hasPassword();
        // A verified certificate whose identity is the user name needs no password (identity-as-username).
        CompletableFuture<Outcome> decision = client.authenticatedByCertificate()
                ? CompletableFuture.completedFuture(Outcome.ACCEPTED)
                : context.authentication().authenticate(client, payload.passwordInBytes());
        if (decision.isDone()) {
            decided(decision.join(), hasCredentials, header, properties, client, will, assigned);
            return;
        }
        // Packets the client sent after CONNECT wait until CONNACK is decided [MQTT-3.1.4-5 (5.0)].
        connection.holdPackets();
        WillMessage decidedWill = will;
        boolean assignedId = assigned;
        decision.thenAccept(outcome -> {
            try {
                connection.channel.eventLoop().execute(() -> {
                    if (connection.channel.isActive()) {
                        decided(outcome, hasCredentials, header, properties, client, decidedWill, assignedId);
                    }
                    connection.releasePackets();
                });
            } catch (RejectedExecutionException stopping) {
                connection.channel.close(); // the broker is stopping
            }
        });
    }

    /** Refuses the CONNECT or opens its session, on the channel's event loop. */
    private void decided(Outcome outcome, boolean hasCredentials, MqttConnectVariableHeader header,
                         MqttProperties properties, ClientInfo client, WillMessage will, boolean assigned) {
        boolean v5 = connection.protocolVersion == 5;
        ConnectAuthentication authentication = connection.context.authentication();
        switch (outcome) {
            case ACCEPTED -> accept(header, properties, client, will, assigned);
            case REFUSED -> {
                authentication.refusals().refused(hasCredentials ? Reason.BAD_CREDENTIALS : Reason.NOT_AUTHORIZED,
                        client, null);
                MqttConnectReturnCode code = v5
                        ? (hasCredentials ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                                : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5)
                        : (hasCredentials ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD
                                : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
                refuse(code, "not authorized");
            }
            case BUSY -> {
                authentication.refusals().refused(Reason.UNAVAILABLE, client, "too many CONNECTs waiting");
                refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY
                        : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "authentication busy");
            }
            case FAILED -> {
                authentication.refusals().refused(Reason.UNAVAILABLE, client, "the authenticator failed");
                refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                        : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "authenticator failed");
            }
        }
    }

    /** Opens the session and answers CONNACK. */
    private void accept(MqttConnectVariableHeader header, MqttProperties properties, ClientInfo client,
                        WillMessage will, boolean assigned) {
        ProtocolContext context = connection.context;
        boolean v5 = connection.protocolVersion == 5;
        int version = connection.protocolVersion;
        String clientId = client.clientId();
        long maxExpiry = context.config().maxSessionExpirySeconds();
        long requestedExpiry;
        if (v5) {
            Integer expiry = MqttPropertiesMapper.intValue(properties, MqttPropertyType.SESSION_EXPIRY_INTERVAL);
            requestedExpiry = expiry == null ? 0 : Integer.toUnsignedLong(expiry);
        } else {
            requestedExpiry = header.isCleanSession() ? 0 : SessionRegistry.NEVER_EXPIRES;
        }
        long expiry = Math.min(requestedExpiry, maxExpiry);
        connection.sessionExpirySeconds = expiry;

        int keepAlive = header.keepAliveTimeSeconds();
        int maxKeepAlive = context.config().maxKeepAliveSeconds();
        boolean keepAliveOverridden = v5 && (keepAlive > maxKeepAlive || (keepAlive == 0 && maxKeepAlive < 65535));
        if (keepAliveOverridden) {
            keepAlive = maxKeepAlive;
        }

        SessionRegistry.Attachment attachment = context.sessions().connect(clientId, version,
                header.isCleanSession(), expiry, will, connection);
        if (attachment == null) {
            refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "too many sessions");
            return;
        }
        connection.session = attachment.session();

        String assignedId = v5 && assigned ? clientId : null;
        int serverKeepAlive = v5 && keepAliveOverridden ? keepAlive : -1;
        boolean expiryCapped = v5 && expiry != requestedExpiry;
        MqttConnAckMessage connAck;
        if (assignedId == null && serverKeepAlive < 0 && !expiryCapped) {
            connAck = ConnAcks.standard(context.config(), v5, attachment.sessionPresent());
        } else {
            connAck = ConnAcks.accepted(attachment.sessionPresent()).properties(p -> {
                ConnAcks.serverLimits(p, context.config());
                if (assignedId != null) {
                    p.assignedClientId(assignedId);
                }
                if (serverKeepAlive >= 0) {
                    p.serverKeepAlive(serverKeepAlive);
                }
                if (expiryCapped) {
                    p.sessionExpiryInterval(expiry);
                }
            }).build();
        }
        connection.channel.writeAndFlush(connAck);
        connection.connected();
        if (keepAlive > 0) {
            // The server closes a connection silent for one and a half keep-alives [MQTT-3.1.2-24].
            connection.watchKeepAlive(keepAlive * 1_500_000_000L);
        }
        log.debug("{} connected from {} (MQTT {}, clean start {}, session present {})", LogSafe.text(clientId),
                client.remoteAddress(), v5 ? "5.0" : "3.1.1", header.isCleanSession(), attachment.sessionPresent());
    }

    /** The reason the CONNECT flags are inconsistent, or null [MQTT-3.1.2-11 .. MQTT-3.1.2-15, MQTT-3.1.2-22]. */
    private static String flagProblem(MqttConnectVariableHeader header, boolean v5) {
        if (header.willQos() > 2) {
            return "Will QoS 3 is not a QoS [MQTT-3.1.2-14]";
        }
        if (!header.isWillFlag() && (header.willQos() != 0 || header.isWillRetain())) {
            return "Will QoS and Will Retain must be 0 without a will [MQTT-3.1.2-13, MQTT-3.1.2-15]";
        }
        if (!v5 && header.hasPassword() && !header.hasUserName()) {
            return "a password needs a user name in MQTT 3.1.1 [MQTT-3.1.2-22]";
        }
        return null;
    }

    /** Refuses with CONNACK {@code code}; a null code (MQTT 3.1.1 has none for this) just closes. */
    private void refuse(MqttConnectReturnCode code, String reason) {
        log.debug("refused CONNECT from {}: {}", connection.channel.remoteAddress(), LogSafe.text(reason));
        if (code == null) {
            connection.channel.close();
        } else {
            Disconnects.refuse(connection.channel, code, reason, connection.clientMaximumPacketSize);
        }
    }
}
