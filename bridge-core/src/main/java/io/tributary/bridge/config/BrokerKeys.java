package io.tributary.bridge.config;

import io.tributary.broker.AclRule;
import io.tributary.broker.AuthConfig;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.BrokerLimit;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.ListenerType;
import io.tributary.broker.QueueFullPolicy;
import io.tributary.broker.SlowSubscribers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The declaration of every key of the {@code broker} section, its listeners and their TLS: read by
 * {@link ConfigLoader}, listed in errors and generated into {@code docs/configuration.md}.
 */
public final class BrokerKeys {

    public static final ConfigKey<Path> TLS_CERT = ConfigKey.withoutFixedDefault("cert",
            ValueTypes.file(), "required",
            "The PEM certificate chain. A relative path is resolved against the configuration file's folder.");

    public static final ConfigKey<Path> TLS_KEY = ConfigKey.withoutFixedDefault("key",
            ValueTypes.file(), "required",
            "The PEM (PKCS#8) private key. A relative path is resolved against the configuration file's folder.");

    public static final ConfigKey<Path> TLS_CLIENT_CA = ConfigKey.withoutFixedDefault("client-ca",
            ValueTypes.file(), "none: clients are not asked for certificates",
            "PEM certificates of the authorities that sign client certificates. A relative path is resolved "
                    + "against the configuration file's folder.");

    public static final ConfigKey<ListenerConfig.ClientAuth> TLS_CLIENT_AUTH = ConfigKey.withoutFixedDefault(
            "client-auth", ValueTypes.oneOf(ListenerConfig.ClientAuth.class),
            "`required` with `client-ca`, `none` without",
            "`required`: the handshake fails without a client certificate signed by `client-ca`; `optional`: a "
                    + "certificate is asked for, and one that is sent must verify; `none`: none is asked for.");

    public static final ConfigKey<Boolean> TLS_IDENTITY_AS_USERNAME = ConfigKey.of("identity-as-username",
            ValueTypes.bool(), false,
            "When true, the subject CN of the client's certificate is its username (for the ACL) and no password "
                    + "is asked; a client without a certificate is refused. Needs `client-ca`, and `client-auth` "
                    + "`optional` or `required`.");

    public static final ConfigKey<List<String>> TLS_PROTOCOLS = ConfigKey.structure("protocols",
            Shape.byIndex(Shape.VALUE, "protocol"), "a list of TLS protocol versions",
            String.join(", ", ListenerConfig.DEFAULT_TLS_PROTOCOLS),
            "The TLS versions offered, such as `TLSv1.3`; older versions are off unless listed here (and allowed "
                    + "by the JDK).");

    public static final ConfigKey<List<String>> TLS_CIPHER_SUITES = ConfigKey.structure("cipher-suites",
            Shape.byIndex(Shape.VALUE, "cipher suite"), "a list of cipher suite names",
            "the JDK's defaults for the protocols",
            "The cipher suites offered, by their standard names, such as `TLS_AES_256_GCM_SHA384`.");

    /** The {@code tls} mapping of a listener. */
    public static final ConfigSection TLS = new ConfigSection(
            "How a listener serves TLS: its certificate and key, and the client certificates it asks for. A "
                    + "renewed file is used by new connections without a restart.",
            List.of(TLS_CERT, TLS_KEY, TLS_CLIENT_CA, TLS_CLIENT_AUTH, TLS_IDENTITY_AS_USERNAME, TLS_PROTOCOLS,
                    TLS_CIPHER_SUITES));

    public static final ConfigKey<String> LISTENER_NAME = ConfigKey.withoutFixedDefault("name",
            ValueTypes.name(), "TYPE-PORT, such as `tcp-1883`",
            "The listener's name in logs and metrics; unique among the listeners.");

    public static final ConfigKey<ListenerType> LISTENER_TYPE = ConfigKey.of("type",
            ValueTypes.oneOf(ListenerType.class), ListenerType.TCP,
            "`tcp`: MQTT over TCP; `websocket`: MQTT over WebSocket.");

    public static final ConfigKey<String> LISTENER_HOST = ConfigKey.of("host",
            ValueTypes.host(), ListenerConfig.DEFAULT_HOST,
            "The address to bind. The default takes connections from this machine only; `0.0.0.0` or `::` "
                    + "take them from everywhere.");

    public static final ConfigKey<Integer> LISTENER_PORT = ConfigKey.withoutFixedDefault("port",
            ValueTypes.integer(0, 65_535), Arrays.stream(ListenerType.values())
                    .map(type -> type.defaultPort() + " for `" + ValueTypes.kebab(type) + "`")
                    .collect(Collectors.joining(", ")),
            "The port to bind; 0 picks a free one. Two listeners cannot share a port on the same host "
                    + "(`0.0.0.0` and `::` share it with every host).");

    public static final ConfigKey<String> LISTENER_PATH = ConfigKey.of("path",
            ValueTypes.httpPath(), ListenerConfig.DEFAULT_PATH,
            "`websocket` only: the HTTP path that upgrades to MQTT over WebSocket.");

    public static final ConfigKey<ListenerConfig.Tls> LISTENER_TLS = ConfigKey.section("tls", TLS, "none: plain",
            "Serve this listener over TLS, with the keys of `broker.listeners[].tls`.");

    public static final ConfigKey<Boolean> LISTENER_ALLOW_ANONYMOUS = ConfigKey.of("allow-anonymous",
            ValueTypes.bool(), false,
            "When true, clients from any address may connect without credentials. When false, only clients "
                    + "on a loopback address may (the secure default, as in Mosquitto 2); with `broker.auth`, "
                    + "not even those.");

    public static final ConfigKey<List<String>> LISTENER_ALLOWED_ORIGINS = ConfigKey.structure("allowed-origins",
            Shape.byIndex(Shape.VALUE, "origin"), "a list of origins", "none: no browser page",
            "`websocket` only: the origins (`https://app.example.com`; `*` for any) of the web pages that may "
                    + "open MQTT over WebSocket in a browser. A request with another `Origin` header is refused "
                    + "with HTTP 403; one without it (not from a browser) is taken.");

    /** Each item of {@code broker.listeners}. */
    public static final ConfigSection LISTENER = new ConfigSection(
            "One network endpoint where clients connect.",
            List.of(LISTENER_NAME, LISTENER_TYPE, LISTENER_HOST, LISTENER_PORT, LISTENER_PATH, LISTENER_TLS,
                    LISTENER_ALLOW_ANONYMOUS, LISTENER_ALLOWED_ORIGINS));

    public static final ConfigKey<List<ListenerConfig>> LISTENERS = ConfigKey.structure("listeners",
            Shape.byIndex(Shape.mapping(LISTENER), "listener"), "a list of listeners",
            "one `" + ValueTypes.kebab(ListenerType.TCP) + "` listener on " + ListenerConfig.DEFAULT_HOST + ":"
                    + ListenerType.TCP.defaultPort(),
            "Where clients connect: a list of listener mappings, each with the keys of `broker.listeners[]`.");

    public static final ConfigKey<Integer> MAX_PACKET_SIZE = limit("max-packet-size",
            BrokerLimit.MAX_PACKET_SIZE,
            "The largest MQTT packet accepted, in bytes. A larger one closes its connection (MQTT 5: DISCONNECT "
                    + "0x95); MQTT 5 clients are told the limit in CONNACK.");

    public static final ConfigKey<Integer> MAX_CONNECTIONS = limit("max-connections",
            BrokerLimit.MAX_CONNECTIONS,
            "Connections beyond this many are refused (CONNACK 0x89 in MQTT 5, 0x03 in MQTT 3.1.1).");

    public static final ConfigKey<Integer> MAX_INFLIGHT = limit("max-inflight",
            BrokerLimit.MAX_IN_FLIGHT,
            "QoS 1 and 2 messages outstanding per client in each direction: the broker's Receive Maximum, and "
                    + "the cap on the client's.");

    public static final ConfigKey<Integer> MAX_QUEUED_MESSAGES = limit("max-queued-messages",
            BrokerLimit.MAX_QUEUED_MESSAGES,
            "Messages queued per session, online or offline; `queue-full-policy` says what happens beyond.");

    public static final ConfigKey<Integer> MAX_QUEUED_BYTES = limit("max-queued-bytes",
            BrokerLimit.MAX_QUEUED_BYTES,
            "Bytes (payload and topic) queued per session, online or offline; a second bound beside "
                    + "`max-queued-messages`, whichever is reached first applies.");

    private static final BrokerLimit QUEUED_BYTES_TOTAL = BrokerLimit.MAX_QUEUED_BYTES_TOTAL;

    public static final ConfigKey<Long> MAX_QUEUED_BYTES_TOTAL = ConfigKey.of("max-queued-bytes-total",
            ValueTypes.longInteger(QUEUED_BYTES_TOTAL.min(), QUEUED_BYTES_TOTAL.max()), QUEUED_BYTES_TOTAL.longDefault(),
            "Bytes all sessions hold in memory together, queued or sent and not yet acknowledged: payload, topic "
                    + "and 160 bytes per message for the broker's bookkeeping (messages an offline persistent session "
                    + "keeps on disk count nothing). "
                    + "When reached, the queue of every online session that holds an even part of it or more is full: "
                    + "its publishers wait (QoS 0 ones by `qos0-when-full`) until it is half empty; sessions that hold "
                    + "less go on, so that slow clients never hold back those that keep up (the total may pass the "
                    + "bound by about as much again); offline sessions drop by `queue-full-policy`; "
                    + "counted in `$SYS/broker/messages/queue-budget-full`. Bounds the broker's memory under "
                    + "overload whatever the number of slow subscribers; a larger value needs a JVM heap that holds "
                    + "twice it (the default maximum heap is a quarter of the memory).");

    public static final ConfigKey<QueueFullPolicy> QUEUE_FULL_POLICY = ConfigKey.of("queue-full-policy",
            ValueTypes.oneOf(QueueFullPolicy.class), BrokerLimit.DEFAULT_QUEUE_FULL_POLICY,
            "What an offline session drops when its queue is full, by messages or by bytes: the new message "
                    + "(`drop-new`, the oldest data reaches the device) or the oldest queued ones (`drop-oldest`).");

    public static final ConfigKey<SlowSubscribers.Qos0WhenFull> QOS0_WHEN_FULL = ConfigKey.of("qos0-when-full",
            ValueTypes.oneOf(SlowSubscribers.Qos0WhenFull.class), SlowSubscribers.DEFAULTS.qos0(),
            "What a QoS 0 message meets when an online subscriber's queue is full: `pause` queues it and stops "
                    + "reading its publisher until the queue is half empty, so the broker reads publishers only as "
                    + "fast as their subscribers take messages and drops nothing (as for QoS 1/2); `drop` drops it "
                    + "for that subscriber, counted in `tributary_broker_messages_dropped_total{reason=\"qos0\"}`, "
                    + "and its publisher goes on at full speed.");

    public static final ConfigKey<Duration> STUCK_SUBSCRIBER_TIMEOUT = ConfigKey.of("stuck-subscriber-timeout",
            ValueTypes.durationOrZero(), SlowSubscribers.DEFAULTS.stuckTimeout(),
            "How long an online subscriber whose queue is full may take nothing (no message written to it, as when "
                    + "it stops reading its socket or acknowledging) before it stops holding its publishers: a "
                    + "clean session is disconnected (MQTT 5: DISCONNECT 0x97), a persistent one drops by "
                    + "`queue-full-policy` until its queue is half empty. A subscriber that is slow but takes "
                    + "messages is never cut off. `0s`: never.");

    public static final ConfigKey<Integer> MAX_SESSIONS = limit("max-sessions",
            BrokerLimit.MAX_SESSIONS,
            "Sessions, online and offline together. A CONNECT that would open a new one beyond this is refused "
                    + "(CONNACK 0x97 in MQTT 5, 0x03 in MQTT 3.1.1); a client resuming its session connects.");

    public static final ConfigKey<Integer> MAX_KEEP_ALIVE = limit("max-keep-alive",
            BrokerLimit.MAX_KEEP_ALIVE_SECONDS,
            "Seconds. A longer keep-alive asked for by a client is lowered to this (MQTT 5 Server Keep Alive).");

    private static final BrokerLimit SESSION_EXPIRY = BrokerLimit.MAX_SESSION_EXPIRY_SECONDS;

    public static final ConfigKey<Long> MAX_SESSION_EXPIRY = ConfigKey.of("max-session-expiry",
            ValueTypes.longInteger(SESSION_EXPIRY.min(), SESSION_EXPIRY.max()), SESSION_EXPIRY.longDefault(),
            "Seconds. A longer session expiry asked for by a client, and the expiry of an MQTT 3.1.1 persistent "
                    + "session, is lowered to this (a week by default); 4294967295 lets sessions never expire.");

    public static final ConfigKey<Integer> TOPIC_ALIAS_MAXIMUM = limit("topic-alias-maximum",
            BrokerLimit.TOPIC_ALIAS_MAXIMUM,
            "How many topic aliases a client may set on its publishes (MQTT 5); 0 turns them off.");

    public static final ConfigKey<Integer> CONNECT_TIMEOUT = limit("connect-timeout",
            BrokerLimit.CONNECT_TIMEOUT_SECONDS,
            "Seconds. A connection that sends no CONNECT within this is closed.");

    public static final ConfigKey<Integer> MAX_PENDING_CONNECTIONS = limit("max-pending-connections",
            BrokerLimit.MAX_PENDING_CONNECTIONS,
            "Connections that have not sent a packet yet (TLS and WebSocket handshakes included). A new socket "
                    + "beyond this is closed at once, before anything is read from it.");

    public static final ConfigKey<Integer> MAX_CONNECTION_RATE = ConfigKey.of("max-connection-rate",
            ValueTypes.integer(0, Integer.MAX_VALUE), BrokerLimit.MAX_CONNECTION_RATE.intDefault(),
            "New connections per second from one IP address, after a burst of `connection-rate-burst`; a "
                    + "socket beyond it is closed at once. 0 turns the limit off.");

    public static final ConfigKey<Integer> CONNECTION_RATE_BURST = limit("connection-rate-burst",
            BrokerLimit.CONNECTION_RATE_BURST,
            "New connections one IP address may open at once before `max-connection-rate` applies.");

    public static final ConfigKey<Boolean> CONNECTION_RATE_LOOPBACK = ConfigKey.of("connection-rate-loopback",
            ValueTypes.bool(), BrokerConfig.ConnectionAdmission.DEFAULTS.rateLimitLoopback(),
            "Whether `max-connection-rate` applies to loopback addresses too. Off: a TLS proxy or sidecar on the "
                    + "same machine makes every client look like one loopback address.");

    public static final ConfigKey<Integer> MAX_PUBLISH_RATE = ConfigKey.of("max-publish-rate",
            ValueTypes.integer(0, Integer.MAX_VALUE), BrokerLimit.MAX_PUBLISH_RATE.intDefault(),
            "PUBLISH packets per second one client may send (one second's worth at once); beyond it the broker "
                    + "stops reading the client's socket until it is back under, dropping nothing. 0 turns it off.");

    public static final ConfigKey<Integer> MAX_PUBLISH_BYTES_RATE = ConfigKey.of("max-publish-bytes-rate",
            ValueTypes.integer(0, Integer.MAX_VALUE), BrokerLimit.MAX_PUBLISH_BYTES_RATE.intDefault(),
            "PUBLISH payload bytes per second one client may send, enforced as `max-publish-rate`. 0 turns it "
                    + "off.");

    public static final ConfigKey<Integer> MAX_TOPIC_LENGTH = limit("max-topic-length",
            BrokerLimit.MAX_TOPIC_LENGTH,
            "The longest topic name or filter accepted, in UTF-8 bytes (MQTT allows 65535; every byte is kept in the "
                    + "subscription and retained trees). A PUBLISH to a longer topic closes its connection (MQTT 5: "
                    + "DISCONNECT 0x90), a longer filter is refused in SUBACK (0x8F; 3.1.1: 0x80), a longer will "
                    + "topic in CONNECT (0x90).");

    public static final ConfigKey<Integer> MAX_TOPIC_LEVELS = limit("max-topic-levels",
            BrokerLimit.MAX_TOPIC_LEVELS,
            "The most levels (parts between `/`) a topic name or filter may have, as EMQX's default: deep enough "
                    + "for any real hierarchy, and a bound on how deep matching goes. Refused as `max-topic-length`.");

    public static final ConfigKey<Integer> MAX_SUBSCRIPTIONS_PER_CLIENT = limit("max-subscriptions-per-client",
            BrokerLimit.MAX_SUBSCRIPTIONS_PER_CLIENT,
            "Subscriptions one client may hold. A filter beyond is refused in SUBACK (MQTT 5: 0x97 quota exceeded; "
                    + "3.1.1: 0x80); subscribing again to a filter it holds is always allowed.");

    public static final ConfigKey<Integer> MAX_FILTERS_PER_SUBSCRIBE = limit("max-filters-per-subscribe",
            BrokerLimit.MAX_FILTERS_PER_SUBSCRIBE,
            "Topic filters handled in one SUBSCRIBE packet; those beyond are refused in SUBACK (MQTT 5: 0x97; 3.1.1: "
                    + "0x80) without being looked at. A filter repeated in one packet is handled once.");

    public static final ConfigKey<Integer> MAX_RETAINED_MESSAGES = limit("max-retained-messages",
            BrokerLimit.MAX_RETAINED_MESSAGES,
            "Topics that may hold a retained message. A retained PUBLISH to a new topic beyond is refused with "
                    + "PUBACK/PUBREC 0x97 (MQTT 5, QoS 1 and 2) or delivered without being retained (QoS 0, 3.1.1); "
                    + "replacing or clearing a retained message is always allowed.");

    private static final BrokerLimit RETAINED_BYTES = BrokerLimit.MAX_RETAINED_BYTES;

    public static final ConfigKey<Long> MAX_RETAINED_BYTES = ConfigKey.of("max-retained-bytes",
            ValueTypes.longInteger(RETAINED_BYTES.min(), RETAINED_BYTES.max()), RETAINED_BYTES.longDefault(),
            "Bytes (payload plus topic) all retained messages may take together; beyond, as "
                    + "`max-retained-messages`.");

    public static final ConfigKey<Duration> SYS_INTERVAL = ConfigKey.of("sys-interval",
            ValueTypes.durationOrZero(), BrokerLimit.DEFAULT_SYS_INTERVAL,
            "How often the broker publishes its `$SYS/broker/...` topics (retained, QoS 0; a topic only when its "
                    + "value changed, except the uptime); `0s` turns them off.");

    public static final ConfigKey<PersistenceMode> PERSISTENCE = ConfigKey.of("persistence",
            ValueTypes.oneOf(PersistenceMode.class, Map.of("true", PersistenceMode.SYNC, "false", PersistenceMode.MEMORY)),
            PersistenceMode.SYNC,
            "Where persistent sessions (subscriptions, queued and unacknowledged messages, accepted QoS 2 ids, wills) "
                    + "and retained messages are kept, written as they change to a store in "
                    + "`DATA-DIRECTORY/broker`. `sync`: a PUBACK/PUBREC (or Kafka commit) that promises the broker "
                    + "holds a message waits until it is fsynced (many share one fsync); nothing acknowledged is "
                    + "lost by `kill -9` or a power cut. `interval`: it waits for the write only and the store "
                    + "fsyncs every `persistence-interval`; `kill -9` loses nothing acknowledged, a power cut may "
                    + "lose what was acknowledged within the interval. `memory`: nothing is written; a restart "
                    + "loses sessions and retained messages. (`true` and `false` of earlier versions mean `sync` and "
                    + "`memory`.) Offline queues live on disk, not in the heap. With `cluster`, retained messages are kept "
                    + "in the cluster's Kafka topic instead, and this store holds sessions only.");

    public static final ConfigKey<Duration> PERSISTENCE_INTERVAL = ConfigKey.of("persistence-interval",
            ValueTypes.duration(), Duration.ofSeconds(1),
            "With `persistence: interval`, how often the store fsyncs: what a power cut may lose at most.");

    public static final ConfigKey<Path> AUTH_PASSWORD_FILE = ConfigKey.withoutFixedDefault("password-file",
            ValueTypes.file(), "none",
            "A password file as Mosquitto's `mosquitto_passwd` or `tributary passwd` writes it (`user:$7$...` "
                    + "PBKDF2-SHA512, or `$6$` SHA-512). With it, every client must give a user name and password "
                    + "from the file, loopback ones included; a listener with `allow-anonymous: true` also lets "
                    + "in clients without a user name. Re-read within a second when it changes, without "
                    + "disconnecting anyone; a relative path is resolved against the configuration file's folder.");

    public static final ConfigKey<List<Path>> AUTH_PLUGINS = ConfigKey.structure("plugins",
            Shape.byIndex(Shape.VALUE, "file"), "a list of jar files", "none",
            "Jars holding an `io.tributary.broker.Authenticator` and/or an `Authorizer` listed for Java's "
                    + "`ServiceLoader`. A plugin authenticator is used instead of the password file, and a plugin "
                    + "authorizer instead of `acl-file` and `acl`, so set one or the other; the `allow-anonymous` "
                    + "rule of `password-file` applies to it too. See docs/security.md.");

    public static final ConfigKey<String> ACL_USER = ConfigKey.withoutFixedDefault("user",
            ValueTypes.text(), "none: anonymous clients",
            "The user name the rule is for; without it (and without `pattern`), the rule is for clients that "
                    + "connect without a user name.");

    public static final ConfigKey<Boolean> ACL_PATTERN = ConfigKey.of("pattern",
            ValueTypes.bool(), false,
            "True for a rule of every client, in which the levels `%u` and `%c` stand for the client's user name "
                    + "and client id (Mosquitto's `pattern` lines); it has no `user`.");

    public static final ConfigKey<String> ACL_TOPIC = ConfigKey.withoutFixedDefault("topic",
            ValueTypes.text(), ConfigKey.REQUIRED,
            "The topic filter the rule covers; `+` and `#` as in subscriptions.");

    public static final ConfigKey<AclRule.Access> ACL_ACCESS = ConfigKey.of("access",
            ValueTypes.oneOf(AclRule.Access.class), AclRule.Access.READWRITE,
            "`read`: receive messages on the topics; `write`: publish to them; `readwrite`: both; `deny`: neither, "
                    + "whatever another rule grants.");

    /** Each item of {@code broker.auth.acl}. */
    public static final ConfigSection ACL_RULE = new ConfigSection(
            "One access rule, as a line of Mosquitto's ACL file.",
            List.of(ACL_USER, ACL_PATTERN, ACL_TOPIC, ACL_ACCESS));

    public static final ConfigKey<Path> ACL_FILE = ConfigKey.withoutFixedDefault("acl-file",
            ValueTypes.file(), "none",
            "Access rules in Mosquitto's `acl_file` format (`user`, `topic`, `pattern` lines), re-read when the "
                    + "file changes; a change that does not read keeps the rules in force. Once any rule exists, "
                    + "what no rule allows is denied. See docs/security.md.");

    public static final ConfigKey<List<AclRule>> ACL = ConfigKey.structure("acl",
            Shape.byIndex(Shape.mapping(ACL_RULE), "ACL rule"), "a list of ACL rules", "none",
            "Access rules written here rather than in `acl-file` (both may be given: their rules add up), each "
                    + "with the keys of `broker.auth.acl[]`.");

    /** The {@code broker.auth} mapping. */
    public static final ConfigSection AUTH = new ConfigSection(
            "Who may connect and what each client may do. Without this section, clients on a loopback address "
                    + "connect without credentials, others only on listeners with `allow-anonymous: true`, and "
                    + "every client may do everything.",
            List.of(AUTH_PASSWORD_FILE, AUTH_PLUGINS, ACL_FILE, ACL));

    public static final ConfigKey<AuthConfig> AUTH_SECTION = ConfigKey.section("auth", AUTH,
            "none: loopback clients only, and anonymous listeners; no access rules",
            "Authentication and authorization of clients, with the keys of `broker.auth`.");

    /** The {@code broker} mapping. */
    public static final ConfigSection BROKER = new ConfigSection(
            "The MQTT broker: where it listens and the limits it enforces.",
            List.of(LISTENERS, MAX_PACKET_SIZE, MAX_CONNECTIONS, MAX_INFLIGHT, MAX_QUEUED_MESSAGES,
                    MAX_QUEUED_BYTES, MAX_QUEUED_BYTES_TOTAL, QUEUE_FULL_POLICY, QOS0_WHEN_FULL, STUCK_SUBSCRIBER_TIMEOUT, MAX_SESSIONS, MAX_KEEP_ALIVE, MAX_SESSION_EXPIRY,
                    TOPIC_ALIAS_MAXIMUM, CONNECT_TIMEOUT, MAX_PENDING_CONNECTIONS, MAX_CONNECTION_RATE,
                    CONNECTION_RATE_BURST, CONNECTION_RATE_LOOPBACK, MAX_PUBLISH_RATE, MAX_PUBLISH_BYTES_RATE,
                    MAX_TOPIC_LENGTH, MAX_TOPIC_LEVELS, MAX_SUBSCRIPTIONS_PER_CLIENT, MAX_FILTERS_PER_SUBSCRIBE,
                    MAX_RETAINED_MESSAGES, MAX_RETAINED_BYTES, SYS_INTERVAL, PERSISTENCE, PERSISTENCE_INTERVAL, AUTH_SECTION));

    private BrokerKeys() {
    }

    /** A key of one of the broker's own limits, with the range and default the broker declares. */
    private static ConfigKey<Integer> limit(String name, BrokerLimit limit, String doc) {
        return ConfigKey.of(name, ValueTypes.integer((int) limit.min(), (int) limit.max()), limit.intDefault(), doc);
    }
}
