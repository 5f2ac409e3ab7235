package io.tributary.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that sets how a broker behaves: listeners and limits. Every limit is enforced. The same record is
 * what {@code Broker.builder()} takes and what the configuration file's {@code broker} section is read into.
 *
 * @param listeners where clients connect
 * @param maxPacketSize the largest packet accepted, in bytes; larger ones close the connection
 *     (MQTT 5: DISCONNECT 0x95) and MQTT 5 clients are told the limit in CONNACK
 * @param maxConnections connections beyond this are refused (CONNACK 0x89 / 0x03)
 * @param maxInFlight QoS 1/2 messages outstanding per client in each direction: our Receive Maximum,
 *     and the cap on the client's
 * @param maxQueuedMessages messages queued per session, online or offline
 * @param queueFullPolicy what an offline session drops when its queue is full
 * @param maxKeepAliveSeconds a longer client keep-alive is lowered to this (MQTT 5 Server Keep Alive)
 * @param maxSessionExpirySeconds a longer session expiry is lowered to this
 * @param topicAliasMaximum how many topic aliases a client may set on its publishes (MQTT 5)
 * @param connectTimeoutSeconds a connection that sends no CONNECT within this is closed
 * @param sysInterval how often the {@code $SYS/broker/...} topics are published; zero turns them off
 * @param persistenceDirectory where the broker keeps its sessions and retained messages across a graceful
 *     restart (one file, written when it stops); {@code null} keeps everything in memory only
 * @param acl the access rules; {@link AclConfig#NONE} lets every client do everything
 */
public record BrokerConfig(
        List<ListenerConfig> listeners,
        int maxPacketSize,
        int maxConnections,
        int maxInFlight,
        int maxQueuedMessages,
        QueueFullPolicy queueFullPolicy,
        int maxKeepAliveSeconds,
        long maxSessionExpirySeconds,
        int topicAliasMaximum,
        int connectTimeoutSeconds,
        Duration sysInterval,
        Path persistenceDirectory,
        AclConfig acl) {

    public BrokerConfig {
        acl = acl == null ? AclConfig.NONE : acl;
        listeners = List.copyOf(listeners);
        // The ranges are BrokerLimit's, which the YAML configuration checks too.
        BrokerLimit.MAX_PACKET_SIZE.require("maxPacketSize", maxPacketSize);
        BrokerLimit.MAX_CONNECTIONS.require("maxConnections", maxConnections);
        BrokerLimit.MAX_IN_FLIGHT.require("maxInFlight", maxInFlight);
        BrokerLimit.MAX_QUEUED_MESSAGES.require("maxQueuedMessages", maxQueuedMessages);
        BrokerLimit.MAX_KEEP_ALIVE_SECONDS.require("maxKeepAliveSeconds", maxKeepAliveSeconds);
        BrokerLimit.MAX_SESSION_EXPIRY_SECONDS.require("maxSessionExpirySeconds", maxSessionExpirySeconds);
        BrokerLimit.TOPIC_ALIAS_MAXIMUM.require("topicAliasMaximum", topicAliasMaximum);
        BrokerLimit.CONNECT_TIMEOUT_SECONDS.require("connectTimeoutSeconds", connectTimeoutSeconds);
        if (queueFullPolicy == null) {
            throw new IllegalArgumentException("queueFullPolicy must be set");
        }
        if (sysInterval == null || sysInterval.isNegative() || (!sysInterval.isZero() && sysInterval.toMillis() < 1)) {
            throw new IllegalArgumentException("sysInterval must be 0 (off) or at least 1 ms, was " + sysInterval);
        }
    }

    /** A copy keeping the broker's state in {@code directory}; {@code null} keeps it in memory only. */
    public BrokerConfig withPersistenceDirectory(Path directory) {
        return new BrokerConfig(listeners, maxPacketSize, maxConnections, maxInFlight, maxQueuedMessages,
                queueFullPolicy, maxKeepAliveSeconds, maxSessionExpirySeconds, topicAliasMaximum,
                connectTimeoutSeconds, sysInterval, directory, acl);
    }

    /** A builder holding the defaults: one TCP listener on 127.0.0.1:1883. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link BrokerConfig}; any limit left alone keeps its default. */
    public static final class Builder {
        private final List<ListenerConfig> listeners = new ArrayList<>();
        private int maxPacketSize = BrokerLimit.MAX_PACKET_SIZE.intDefault();
        private int maxConnections = BrokerLimit.MAX_CONNECTIONS.intDefault();
        private int maxInFlight = BrokerLimit.MAX_IN_FLIGHT.intDefault();
        private int maxQueuedMessages = BrokerLimit.MAX_QUEUED_MESSAGES.intDefault();
        private QueueFullPolicy queueFullPolicy = BrokerLimit.DEFAULT_QUEUE_FULL_POLICY;
        private int maxKeepAliveSeconds = BrokerLimit.MAX_KEEP_ALIVE_SECONDS.intDefault();
        private long maxSessionExpirySeconds = BrokerLimit.MAX_SESSION_EXPIRY_SECONDS.longDefault();
        private int topicAliasMaximum = BrokerLimit.TOPIC_ALIAS_MAXIMUM.intDefault();
        private int connectTimeoutSeconds = BrokerLimit.CONNECT_TIMEOUT_SECONDS.intDefault();
        private Duration sysInterval = BrokerLimit.DEFAULT_SYS_INTERVAL;
        private Path persistenceDirectory;
        private AclConfig acl = AclConfig.NONE;

        private Builder() {
        }

        public Builder listener(ListenerConfig listener) {
            listeners.add(listener);
            return this;
        }

        public Builder maxPacketSize(int bytes) {
            this.maxPacketSize = bytes;
            return this;
        }

        public Builder maxConnections(int count) {
            this.maxConnections = count;
            return this;
        }

        public Builder maxInFlight(int count) {
            this.maxInFlight = count;
            return this;
        }

        public Builder maxQueuedMessages(int count) {
            this.maxQueuedMessages = count;
            return this;
        }

        public Builder queueFullPolicy(QueueFullPolicy policy) {
            this.queueFullPolicy = policy;
            return this;
        }

        public Builder maxKeepAliveSeconds(int seconds) {
            this.maxKeepAliveSeconds = seconds;
            return this;
        }

        public Builder maxSessionExpirySeconds(long seconds) {
            this.maxSessionExpirySeconds = seconds;
            return this;
        }

        public Builder topicAliasMaximum(int count) {
            this.topicAliasMaximum = count;
            return this;
        }

        public Builder connectTimeoutSeconds(int seconds) {
            this.connectTimeoutSeconds = seconds;
            return this;
        }

        /** How often the {@code $SYS} topics are published; {@link Duration#ZERO} turns them off. */
        public Builder sysInterval(Duration interval) {
            this.sysInterval = interval;
            return this;
        }

        /**
         * Keeps persistent sessions and retained messages in {@code directory} (created if missing) across a
         * graceful restart; {@code null}, the default, keeps them in memory only.
         */
        public Builder persistenceDirectory(Path directory) {
            this.persistenceDirectory = directory;
            return this;
        }

        /** The access rules; {@link AclConfig#NONE}, the default, lets every client do everything. */
        public Builder acl(AclConfig rules) {
            this.acl = rules;
            return this;
        }

        public BrokerConfig build() {
            List<ListenerConfig> chosen = listeners.isEmpty()
                    ? List.of(ListenerConfig.tcp(ListenerConfig.DEFAULT_HOST, ListenerType.TCP.defaultPort()))
                    : listeners;
            return new BrokerConfig(chosen, maxPacketSize, maxConnections, maxInFlight, maxQueuedMessages,
                    queueFullPolicy, maxKeepAliveSeconds, maxSessionExpirySeconds, topicAliasMaximum,
                    connectTimeoutSeconds, sysInterval, persistenceDirectory, acl);
        }
    }
}
