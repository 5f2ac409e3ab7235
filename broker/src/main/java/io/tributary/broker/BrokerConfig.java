package io.tributary.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that sets how a broker behaves: listeners and limits. Every limit is enforced.
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
        Path persistenceDirectory) {

    /** The largest packet MQTT can express: 256 MiB. */
    public static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_460;

    public BrokerConfig {
        listeners = List.copyOf(listeners);
        require(maxPacketSize >= 64 && maxPacketSize <= PROTOCOL_MAX_PACKET_SIZE, "maxPacketSize",
                "64 to " + PROTOCOL_MAX_PACKET_SIZE, maxPacketSize);
        require(maxConnections >= 1, "maxConnections", "at least 1", maxConnections);
        require(maxInFlight >= 1 && maxInFlight <= 65535, "maxInFlight", "1 to 65535", maxInFlight);
        require(maxQueuedMessages >= 1, "maxQueuedMessages", "at least 1", maxQueuedMessages);
        require(maxKeepAliveSeconds >= 1 && maxKeepAliveSeconds <= 65535, "maxKeepAliveSeconds", "1 to 65535",
                maxKeepAliveSeconds);
        require(maxSessionExpirySeconds >= 0 && maxSessionExpirySeconds <= 0xFFFF_FFFFL, "maxSessionExpirySeconds",
                "0 to 4294967295", maxSessionExpirySeconds);
        require(topicAliasMaximum >= 0 && topicAliasMaximum <= 65535, "topicAliasMaximum", "0 to 65535",
                topicAliasMaximum);
        require(connectTimeoutSeconds >= 1, "connectTimeoutSeconds", "at least 1", connectTimeoutSeconds);
        if (queueFullPolicy == null) {
            throw new IllegalArgumentException("queueFullPolicy must be set");
        }
        if (sysInterval == null || sysInterval.isNegative() || (!sysInterval.isZero() && sysInterval.toMillis() < 1)) {
            throw new IllegalArgumentException("sysInterval must be 0 (off) or at least 1 ms, was " + sysInterval);
        }
    }

    private static void require(boolean ok, String field, String expected, long actual) {
        if (!ok) {
            throw new IllegalArgumentException(field + " must be " + expected + ", was " + actual);
        }
    }

    /** A builder holding the defaults: one TCP listener on 127.0.0.1:1883. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link BrokerConfig}; any limit left alone keeps its default. */
    public static final class Builder {
        private final List<ListenerConfig> listeners = new ArrayList<>();
        private int maxPacketSize = 1024 * 1024;
        private int maxConnections = 100_000;
        private int maxInFlight = 64;
        private int maxQueuedMessages = 1000;
        private QueueFullPolicy queueFullPolicy = QueueFullPolicy.DROP_NEW;
        private int maxKeepAliveSeconds = 65535;
        private long maxSessionExpirySeconds = 0xFFFF_FFFFL;
        private int topicAliasMaximum = 64;
        private int connectTimeoutSeconds = 10;
        private Duration sysInterval = Duration.ofSeconds(10);
        private Path persistenceDirectory;

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

        public BrokerConfig build() {
            List<ListenerConfig> chosen = listeners.isEmpty() ? List.of(ListenerConfig.tcp("127.0.0.1", 1883)) : listeners;
            return new BrokerConfig(chosen, maxPacketSize, maxConnections, maxInFlight, maxQueuedMessages,
                    queueFullPolicy, maxKeepAliveSeconds, maxSessionExpirySeconds, topicAliasMaximum,
                    connectTimeoutSeconds, sysInterval, persistenceDirectory);
        }
    }
}
