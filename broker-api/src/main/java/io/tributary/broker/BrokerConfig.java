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
 * @param queueFullPolicy what an offline session drops when its queue is full (by messages or by bytes)
 * @param maxKeepAliveSeconds a longer client keep-alive is lowered to this (MQTT 5 Server Keep Alive)
 * @param maxSessionExpirySeconds a longer session expiry is lowered to this
 * @param topicAliasMaximum how many topic aliases a client may set on its publishes (MQTT 5)
 * @param connectTimeoutSeconds a connection that sends no CONNECT within this is closed
 * @param sysInterval how often the {@code $SYS/broker/...} topics are published; zero turns them off
 * @param persistenceDirectory where the broker keeps its persistent sessions and retained messages, written as
 *     they change (a store that survives {@code kill -9}); {@code null} keeps everything in memory only
 * @param persistenceSyncInterval {@code null}: an acknowledgement that promises the broker holds a message waits
 *     for its fsync (many share one); otherwise it waits for the write only, and the store fsyncs this often: a
 *     crash of the process loses nothing acknowledged, a crash of the machine what came within the interval
 * @param maxQueuedBytes bytes (payload and topic) queued per session, online or offline; bounds the queue
 *     as {@code maxQueuedMessages} does, and {@code queueFullPolicy} applies to both bounds
 * @param maxSessions sessions, online and offline together; a CONNECT that would open a new one beyond this is
 *     refused (CONNACK 0x97 / 0x03), while a client resuming its session still connects
 * @param connection how many unidentified sockets the broker holds and how fast one address may open them
 * @param maxPublishRate PUBLISH packets per second one client may send, 0 for no limit; beyond it the
 *     broker stops reading from the client's socket until the rate is back under the limit
 * @param maxPublishBytesRate PUBLISH payload bytes per second one client may send, 0 for no limit; enforced
 *     as {@code maxPublishRate}
 * @param maxTopicLength the longest topic name or filter accepted, in UTF-8 bytes
 * @param maxTopicLevels the most levels a topic name or filter may have
 * @param maxSubscriptionsPerClient subscriptions one client may hold; filters beyond are refused in SUBACK
 * @param maxFiltersPerSubscribe filters handled in one SUBSCRIBE; those beyond are refused in SUBACK
 * @param maxRetainedMessages topics that may hold a retained message; a new one beyond is not stored
 * @param maxRetainedBytes bytes (payload plus topic) all retained messages may take; one beyond is not stored
 * @param auth who may connect: a password file, plugins, or {@link AuthConfig#NONE} for the loopback default
 * @param acl the access rules; {@link AclConfig#NONE} lets every client do everything
 * @param slowSubscribers what happens when an online subscriber's queue is full
 * @param maxQueuedBytesTotal bytes all sessions' queues may hold in memory together (payload, topic and a fixed
 *     allowance per message); when reached, every online session's queue is full (its publishers wait, by
 *     {@code slowSubscribers}) and offline ones drop by {@code queueFullPolicy}: the bound that keeps the broker's
 *     memory within its heap whatever the number of slow subscribers
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
        Duration persistenceSyncInterval,
        int maxQueuedBytes,
        int maxSessions,
        ConnectionAdmission connection,
        int maxPublishRate,
        int maxPublishBytesRate,
        int maxTopicLength,
        int maxTopicLevels,
        int maxSubscriptionsPerClient,
        int maxFiltersPerSubscribe,
        int maxRetainedMessages,
        long maxRetainedBytes,
        AuthConfig auth,
        AclConfig acl,
        SlowSubscribers slowSubscribers,
        long maxQueuedBytesTotal) {

    /**
     * The limits on sockets before they are clients, which a flood of connections meets first.
     *
     * @param maxPending sockets that have not sent CONNECT yet; one more is closed at once
     * @param maxRatePerAddress new connections per second from one IP address, 0 for no limit; beyond it
     *     (after {@code rateBurst} at once) a new socket is closed at once
     * @param rateBurst how many new connections one address may open at once
     * @param rateLimitLoopback whether the rate limit applies to loopback addresses too; off by default, as a
     *     proxy or sidecar on the same machine makes every client look like one loopback address
     */
    public record ConnectionAdmission(int maxPending, int maxRatePerAddress, int rateBurst,
                                      boolean rateLimitLoopback) {
        /** The defaults of {@link BrokerLimit}, loopback exempt from the rate limit. */
        public static final ConnectionAdmission DEFAULTS = new ConnectionAdmission(
                BrokerLimit.MAX_PENDING_CONNECTIONS.intDefault(), BrokerLimit.MAX_CONNECTION_RATE.intDefault(),
                BrokerLimit.CONNECTION_RATE_BURST.intDefault(), false);

        public ConnectionAdmission {
            BrokerLimit.MAX_PENDING_CONNECTIONS.require("maxPending", maxPending);
            BrokerLimit.MAX_CONNECTION_RATE.require("maxRatePerAddress", maxRatePerAddress);
            BrokerLimit.CONNECTION_RATE_BURST.require("rateBurst", rateBurst);
        }
    }

    public BrokerConfig {
        acl = acl == null ? AclConfig.NONE : acl;
        slowSubscribers = slowSubscribers == null ? SlowSubscribers.DEFAULTS : slowSubscribers;
        listeners = List.copyOf(listeners);
        auth = auth == null ? AuthConfig.NONE : auth;
        // The ranges are BrokerLimit's, which the YAML configuration checks too.
        BrokerLimit.MAX_PACKET_SIZE.require("maxPacketSize", maxPacketSize);
        BrokerLimit.MAX_CONNECTIONS.require("maxConnections", maxConnections);
        BrokerLimit.MAX_IN_FLIGHT.require("maxInFlight", maxInFlight);
        BrokerLimit.MAX_QUEUED_MESSAGES.require("maxQueuedMessages", maxQueuedMessages);
        BrokerLimit.MAX_KEEP_ALIVE_SECONDS.require("maxKeepAliveSeconds", maxKeepAliveSeconds);
        BrokerLimit.MAX_SESSION_EXPIRY_SECONDS.require("maxSessionExpirySeconds", maxSessionExpirySeconds);
        BrokerLimit.TOPIC_ALIAS_MAXIMUM.require("topicAliasMaximum", topicAliasMaximum);
        BrokerLimit.CONNECT_TIMEOUT_SECONDS.require("connectTimeoutSeconds", connectTimeoutSeconds);
        BrokerLimit.MAX_QUEUED_BYTES.require("maxQueuedBytes", maxQueuedBytes);
        BrokerLimit.MAX_SESSIONS.require("maxSessions", maxSessions);
        BrokerLimit.MAX_PUBLISH_RATE.require("maxPublishRate", maxPublishRate);
        BrokerLimit.MAX_PUBLISH_BYTES_RATE.require("maxPublishBytesRate", maxPublishBytesRate);
        if (connection == null) {
            throw new IllegalArgumentException("connection must be set");
        }
        BrokerLimit.MAX_TOPIC_LENGTH.require("maxTopicLength", maxTopicLength);
        BrokerLimit.MAX_TOPIC_LEVELS.require("maxTopicLevels", maxTopicLevels);
        BrokerLimit.MAX_SUBSCRIPTIONS_PER_CLIENT.require("maxSubscriptionsPerClient", maxSubscriptionsPerClient);
        BrokerLimit.MAX_FILTERS_PER_SUBSCRIBE.require("maxFiltersPerSubscribe", maxFiltersPerSubscribe);
        BrokerLimit.MAX_RETAINED_MESSAGES.require("maxRetainedMessages", maxRetainedMessages);
        BrokerLimit.MAX_RETAINED_BYTES.require("maxRetainedBytes", maxRetainedBytes);
        BrokerLimit.MAX_QUEUED_BYTES_TOTAL.require("maxQueuedBytesTotal", maxQueuedBytesTotal);
        if (queueFullPolicy == null) {
            throw new IllegalArgumentException("queueFullPolicy must be set");
        }
        if (persistenceSyncInterval != null && (persistenceSyncInterval.isNegative() || persistenceSyncInterval.isZero())) {
            throw new IllegalArgumentException("persistenceSyncInterval must be positive, was " + persistenceSyncInterval);
        }
        if (sysInterval == null || sysInterval.isNegative() || (!sysInterval.isZero() && sysInterval.toMillis() < 1)) {
            throw new IllegalArgumentException("sysInterval must be 0 (off) or at least 1 ms, was " + sysInterval);
        }
    }

    /** A copy keeping the broker's state in {@code directory}; {@code null} keeps it in memory only. */
    public BrokerConfig withPersistenceDirectory(Path directory) {
        return new BrokerConfig(listeners, maxPacketSize, maxConnections, maxInFlight, maxQueuedMessages,
                queueFullPolicy, maxKeepAliveSeconds, maxSessionExpirySeconds, topicAliasMaximum,
                connectTimeoutSeconds, sysInterval, directory, persistenceSyncInterval, maxQueuedBytes, maxSessions, connection, maxPublishRate,
                maxPublishBytesRate, maxTopicLength, maxTopicLevels, maxSubscriptionsPerClient, maxFiltersPerSubscribe,
                maxRetainedMessages, maxRetainedBytes, auth, acl, slowSubscribers, maxQueuedBytesTotal);
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
        private Duration persistenceSyncInterval;
        private int maxQueuedBytes = BrokerLimit.MAX_QUEUED_BYTES.intDefault();
        private long maxQueuedBytesTotal = BrokerLimit.MAX_QUEUED_BYTES_TOTAL.longDefault();
        private int maxSessions = BrokerLimit.MAX_SESSIONS.intDefault();
        private ConnectionAdmission connection = ConnectionAdmission.DEFAULTS;
        private int maxPublishRate = BrokerLimit.MAX_PUBLISH_RATE.intDefault();
        private int maxPublishBytesRate = BrokerLimit.MAX_PUBLISH_BYTES_RATE.intDefault();
        private int maxTopicLength = BrokerLimit.MAX_TOPIC_LENGTH.intDefault();
        private int maxTopicLevels = BrokerLimit.MAX_TOPIC_LEVELS.intDefault();
        private int maxSubscriptionsPerClient = BrokerLimit.MAX_SUBSCRIPTIONS_PER_CLIENT.intDefault();
        private int maxFiltersPerSubscribe = BrokerLimit.MAX_FILTERS_PER_SUBSCRIBE.intDefault();
        private int maxRetainedMessages = BrokerLimit.MAX_RETAINED_MESSAGES.intDefault();
        private long maxRetainedBytes = BrokerLimit.MAX_RETAINED_BYTES.longDefault();
        private AuthConfig auth = AuthConfig.NONE;
        private AclConfig acl = AclConfig.NONE;
        private SlowSubscribers slowSubscribers = SlowSubscribers.DEFAULTS;

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

        public Builder maxQueuedBytes(int bytes) {
            this.maxQueuedBytes = bytes;
            return this;
        }

        public Builder maxQueuedBytesTotal(long bytes) {
            this.maxQueuedBytesTotal = bytes;
            return this;
        }

        public Builder maxSessions(int count) {
            this.maxSessions = count;
            return this;
        }

        /** The limits on sockets that have not sent CONNECT yet, and on how fast one address opens them. */
        public Builder connectionAdmission(ConnectionAdmission limits) {
            this.connection = limits;
            return this;
        }

        /** PUBLISH packets and payload bytes per second per client; 0 for no limit. */
        public Builder maxPublishRate(int messagesPerSecond, int bytesPerSecond) {
            this.maxPublishRate = messagesPerSecond;
            this.maxPublishBytesRate = bytesPerSecond;
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
         * Keeps persistent sessions and retained messages in {@code directory} (created if missing), written as they
         * change; {@code null}, the default, keeps them in memory only.
         */
        public Builder persistenceDirectory(Path directory) {
            this.persistenceDirectory = directory;
            return this;
        }

        /**
         * With a persistence directory: fsync every {@code interval} instead of before each acknowledgement that
         * needs it; {@code null}, the default, fsyncs before (see {@link BrokerConfig#persistenceSyncInterval}).
         */
        public Builder persistenceSyncInterval(Duration interval) {
            this.persistenceSyncInterval = interval;
            return this;
        }

        /** The longest topic name or filter accepted, in UTF-8 bytes. */
        public Builder maxTopicLength(int bytes) {
            this.maxTopicLength = bytes;
            return this;
        }

        /** The most levels a topic name or filter may have. */
        public Builder maxTopicLevels(int levels) {
            this.maxTopicLevels = levels;
            return this;
        }

        public Builder maxSubscriptionsPerClient(int count) {
            this.maxSubscriptionsPerClient = count;
            return this;
        }

        public Builder maxFiltersPerSubscribe(int count) {
            this.maxFiltersPerSubscribe = count;
            return this;
        }

        public Builder maxRetainedMessages(int count) {
            this.maxRetainedMessages = count;
            return this;
        }

        /** Bytes (payload plus topic) that all retained messages may take. */
        public Builder maxRetainedBytes(long bytes) {
            this.maxRetainedBytes = bytes;
            return this;
        }

        /** Who may connect; {@link AuthConfig#NONE}, the default, keeps the loopback-only default. */
        public Builder auth(AuthConfig authConfig) {
            this.auth = authConfig;
            return this;
        }

        /** The access rules; {@link AclConfig#NONE}, the default, lets every client do everything. */
        public Builder acl(AclConfig rules) {
            this.acl = rules;
            return this;
        }

        /** What happens when an online subscriber's queue is full; {@link SlowSubscribers#DEFAULTS} by default. */
        public Builder slowSubscribers(SlowSubscribers policy) {
            this.slowSubscribers = policy;
            return this;
        }

        public BrokerConfig build() {
            List<ListenerConfig> chosen = listeners.isEmpty()
                    ? List.of(ListenerConfig.tcp(ListenerConfig.DEFAULT_HOST, ListenerType.TCP.defaultPort()))
                    : listeners;
            return new BrokerConfig(chosen, maxPacketSize, maxConnections, maxInFlight, maxQueuedMessages,
                    queueFullPolicy, maxKeepAliveSeconds, maxSessionExpirySeconds, topicAliasMaximum,
                    connectTimeoutSeconds, sysInterval, persistenceDirectory, persistenceSyncInterval, maxQueuedBytes, maxSessions, connection,
                    maxPublishRate, maxPublishBytesRate, maxTopicLength, maxTopicLevels, maxSubscriptionsPerClient,
                    maxFiltersPerSubscribe, maxRetainedMessages, maxRetainedBytes, auth, acl, slowSubscribers,
                    maxQueuedBytesTotal);
        }
    }
}
