package io.tributary.broker;

import java.time.Duration;

/**
 * Each numeric limit of a broker with its range and default, declared once for both the embeddable broker's
 * configuration and the YAML configuration's {@code broker} section, which take their checks and defaults from
 * here.
 */
public enum BrokerLimit {
    /** The largest packet accepted, in bytes; up to the largest MQTT can express, 256 MiB plus the header. */
    MAX_PACKET_SIZE(64, 268_435_460, 1_048_576),
    /** Connections beyond this are refused. */
    MAX_CONNECTIONS(1, Integer.MAX_VALUE, 100_000),
    /** QoS 1/2 messages outstanding per client in each direction; MQTT's Receive Maximum is 16 bits. */
    MAX_IN_FLIGHT(1, 65_535, 64),
    /** Messages queued per session. */
    MAX_QUEUED_MESSAGES(1, Integer.MAX_VALUE, 1000),
    /** Bytes (payload and topic) queued per session: 16 MiB. */
    MAX_QUEUED_BYTES(1, Integer.MAX_VALUE, 16 * 1024 * 1024),
    /**
     * Bytes all sessions' queues hold in memory together (payload, topic and an allowance per message): 48 MiB, so
     * that with the default JVM flags of {@code bin/tributary} an overload stays within the heap.
     */
    MAX_QUEUED_BYTES_TOTAL(1, Long.MAX_VALUE, 48L * 1024 * 1024),
    /** Sessions, online and persistent offline ones together: twice the default connections. */
    MAX_SESSIONS(1, Integer.MAX_VALUE, 200_000),
    /** The longest keep-alive granted, in seconds; MQTT's keep-alive is 16 bits. */
    MAX_KEEP_ALIVE_SECONDS(1, 65_535, 65_535),
    /**
     * The longest session expiry granted, in seconds; MQTT's is 32 bits, its largest value meaning never. A week
     * by default, so that sessions of clients that never come back (and MQTT 3.1.1 persistent sessions, which
     * ask for no expiry) end by themselves.
     */
    MAX_SESSION_EXPIRY_SECONDS(0, 0xFFFF_FFFFL, 7 * 24 * 3600),
    /** How many topic aliases a client may set (MQTT 5); 16 bits. */
    TOPIC_ALIAS_MAXIMUM(0, 65_535, 64),
    /** Seconds a new connection has to send CONNECT. */
    CONNECT_TIMEOUT_SECONDS(1, Integer.MAX_VALUE, 10),
    /** Connections that have not sent CONNECT yet; more are closed at once. */
    MAX_PENDING_CONNECTIONS(1, Integer.MAX_VALUE, 1000),
    /** New connections per second from one address (the bucket's refill); 0 turns the limit off. */
    MAX_CONNECTION_RATE(0, Integer.MAX_VALUE, 20),
    /** New connections one address may open at once before {@link #MAX_CONNECTION_RATE} applies. */
    CONNECTION_RATE_BURST(1, Integer.MAX_VALUE, 100),
    /** PUBLISH packets per second from one client; 0 (the default) turns the limit off. */
    MAX_PUBLISH_RATE(0, Integer.MAX_VALUE, 0),
    /** PUBLISH payload bytes per second from one client; 0 (the default) turns the limit off. */
    MAX_PUBLISH_BYTES_RATE(0, Integer.MAX_VALUE, 0),
    /**
     * The longest topic name or filter accepted, in UTF-8 bytes. MQTT allows 65,535; real hierarchies stay under a
     * few hundred, and every byte of a topic is held in the subscription and retained trees.
     */
    MAX_TOPIC_LENGTH(1, 65_535, 4096),
    /**
     * The most levels a topic name or filter may have; as EMQX's default. Deep enough for any real hierarchy, and it
     * bounds how deep matching goes in the subscription and retained trees.
     */
    MAX_TOPIC_LEVELS(1, 32_768, 128),
    /** Subscriptions one client may hold; beyond it a filter is refused (SUBACK 0x97 / 0x80). */
    MAX_SUBSCRIPTIONS_PER_CLIENT(1, Integer.MAX_VALUE, 1000),
    /**
     * Topic filters handled in one SUBSCRIBE packet; the ones beyond are refused (SUBACK 0x97 / 0x80) without being
     * looked at, so that the work one packet causes stays bounded.
     */
    MAX_FILTERS_PER_SUBSCRIBE(1, 65_535, 1000),
    /** Topics that may hold a retained message. */
    MAX_RETAINED_MESSAGES(0, Integer.MAX_VALUE, 1_000_000),
    /** Bytes of retained messages (payload plus topic), in all. */
    MAX_RETAINED_BYTES(0, Long.MAX_VALUE, 256L * 1024 * 1024);

    /** The largest packet MQTT can express: 256 MiB plus the fixed header. */
    public static final int PROTOCOL_MAX_PACKET_SIZE = (int) MAX_PACKET_SIZE.max;

    /** How often the {@code $SYS} topics are published unless told otherwise. */
    public static final Duration DEFAULT_SYS_INTERVAL = Duration.ofSeconds(10);

    /** What an offline session drops when its queue is full, unless told otherwise. */
    public static final QueueFullPolicy DEFAULT_QUEUE_FULL_POLICY = QueueFullPolicy.DROP_NEW;

    private final long min;
    private final long max;
    private final long defaultValue;

    BrokerLimit(long min, long max, long defaultValue) {
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
    }

    /** The smallest value allowed. */
    public long min() {
        return min;
    }

    /** The largest value allowed; {@link Integer#MAX_VALUE} or {@link Long#MAX_VALUE} where there is no bound but the type's. */
    public long max() {
        return max;
    }

    /** The default, for limits held in an {@code int}. */
    public int intDefault() {
        return Math.toIntExact(defaultValue);
    }

    /** The default. */
    public long longDefault() {
        return defaultValue;
    }

    /**
     * Returns {@code value} if it is in range.
     *
     * @throws IllegalArgumentException naming {@code field} and the range
     */
    public long require(String field, long value) {
        if (value < min || value > max) {
            String expected = max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? "at least " + min : min + " to " + max;
            throw new IllegalArgumentException(field + " must be " + expected + ", was " + value);
        }
        return value;
    }
}
