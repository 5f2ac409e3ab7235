package io.tributary.bridge.config;

import io.tributary.broker.QueueFullPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code broker} section, validated: where the broker listens and the limits it enforces.
 *
 * @param listeners where clients connect; at least one
 * @param maxPacketSize the largest packet accepted, in bytes
 * @param maxConnections connections beyond this are refused
 * @param maxInflight QoS 1/2 messages outstanding per client in each direction
 * @param maxQueuedMessages messages queued per session
 * @param queueFullPolicy what an offline session drops when its queue is full
 * @param maxKeepAlive the longest keep-alive granted, in seconds
 * @param maxSessionExpiry the longest session expiry granted, in seconds
 * @param topicAliasMaximum how many topic aliases a client may set (MQTT 5)
 * @param connectTimeout seconds a new connection has to send CONNECT
 * @param sysInterval how often the {@code $SYS} topics are published; zero turns them off
 * @param persistence whether sessions and retained messages are kept across a graceful restart
 */
public record BrokerSettings(
        List<ListenerSettings> listeners,
        int maxPacketSize,
        int maxConnections,
        int maxInflight,
        int maxQueuedMessages,
        QueueFullPolicy queueFullPolicy,
        int maxKeepAlive,
        long maxSessionExpiry,
        int topicAliasMaximum,
        int connectTimeout,
        Duration sysInterval,
        boolean persistence) {

    public BrokerSettings {
        listeners = List.copyOf(listeners);
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("listeners: expected at least one listener");
        }
        BrokerKeys.MAX_PACKET_SIZE.require(maxPacketSize);
        BrokerKeys.MAX_CONNECTIONS.require(maxConnections);
        BrokerKeys.MAX_INFLIGHT.require(maxInflight);
        BrokerKeys.MAX_QUEUED_MESSAGES.require(maxQueuedMessages);
        Objects.requireNonNull(queueFullPolicy, "queueFullPolicy");
        BrokerKeys.MAX_KEEP_ALIVE.require(maxKeepAlive);
        BrokerKeys.MAX_SESSION_EXPIRY.require(maxSessionExpiry);
        BrokerKeys.TOPIC_ALIAS_MAXIMUM.require(topicAliasMaximum);
        BrokerKeys.CONNECT_TIMEOUT.require(connectTimeout);
        BrokerKeys.SYS_INTERVAL.require(sysInterval);
    }

    /** Every key at its default: one TCP listener on 127.0.0.1:1883. */
    public static BrokerSettings defaults() {
        return new BrokerSettings(
                List.of(ListenerSettings.defaultListener()),
                BrokerKeys.MAX_PACKET_SIZE.defaultValue(),
                BrokerKeys.MAX_CONNECTIONS.defaultValue(),
                BrokerKeys.MAX_INFLIGHT.defaultValue(),
                BrokerKeys.MAX_QUEUED_MESSAGES.defaultValue(),
                BrokerKeys.QUEUE_FULL_POLICY.defaultValue(),
                BrokerKeys.MAX_KEEP_ALIVE.defaultValue(),
                BrokerKeys.MAX_SESSION_EXPIRY.defaultValue(),
                BrokerKeys.TOPIC_ALIAS_MAXIMUM.defaultValue(),
                BrokerKeys.CONNECT_TIMEOUT.defaultValue(),
                BrokerKeys.SYS_INTERVAL.defaultValue(),
                BrokerKeys.PERSISTENCE.defaultValue());
    }
}
