package io.tributary.bridge.config;

import io.tributary.broker.AclConfig;
import io.tributary.broker.AclRule;
import io.tributary.broker.BrokerLimit;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.ListenerType;
import io.tributary.broker.QueueFullPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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

    /** The {@code tls} mapping of a listener. */
    public static final ConfigSection TLS = new ConfigSection(
            "The files that make a listener serve TLS.",
            List.of(TLS_CERT, TLS_KEY));

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
            "Serve this listener over TLS, with the files of `broker.listeners[].tls`.");

    public static final ConfigKey<Boolean> LISTENER_ALLOW_ANONYMOUS = ConfigKey.of("allow-anonymous",
            ValueTypes.bool(), false,
            "When true, clients from any address may connect without credentials. When false, only clients "
                    + "on a loopback address may (the secure default, as in Mosquitto 2).");

    /** Each item of {@code broker.listeners}. */
    public static final ConfigSection LISTENER = new ConfigSection(
            "One network endpoint where clients connect.",
            List.of(LISTENER_NAME, LISTENER_TYPE, LISTENER_HOST, LISTENER_PORT, LISTENER_PATH, LISTENER_TLS,
                    LISTENER_ALLOW_ANONYMOUS));

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

    public static final ConfigKey<QueueFullPolicy> QUEUE_FULL_POLICY = ConfigKey.of("queue-full-policy",
            ValueTypes.oneOf(QueueFullPolicy.class), BrokerLimit.DEFAULT_QUEUE_FULL_POLICY,
            "What an offline session drops when its queue is full: the new message (`drop-new`, the oldest "
                    + "data reaches the device) or the oldest queued one (`drop-oldest`).");

    public static final ConfigKey<Integer> MAX_KEEP_ALIVE = limit("max-keep-alive",
            BrokerLimit.MAX_KEEP_ALIVE_SECONDS,
            "Seconds. A longer keep-alive asked for by a client is lowered to this (MQTT 5 Server Keep Alive).");

    private static final BrokerLimit SESSION_EXPIRY = BrokerLimit.MAX_SESSION_EXPIRY_SECONDS;

    public static final ConfigKey<Long> MAX_SESSION_EXPIRY = ConfigKey.of("max-session-expiry",
            ValueTypes.longInteger(SESSION_EXPIRY.min(), SESSION_EXPIRY.max()), SESSION_EXPIRY.longDefault(),
            "Seconds. A longer session expiry asked for by a client is lowered to this; 4294967295 means "
                    + "sessions may never expire.");

    public static final ConfigKey<Integer> TOPIC_ALIAS_MAXIMUM = limit("topic-alias-maximum",
            BrokerLimit.TOPIC_ALIAS_MAXIMUM,
            "How many topic aliases a client may set on its publishes (MQTT 5); 0 turns them off.");

    public static final ConfigKey<Integer> CONNECT_TIMEOUT = limit("connect-timeout",
            BrokerLimit.CONNECT_TIMEOUT_SECONDS,
            "Seconds. A connection that sends no CONNECT within this is closed.");

    public static final ConfigKey<Duration> SYS_INTERVAL = ConfigKey.of("sys-interval",
            ValueTypes.durationOrZero(), BrokerLimit.DEFAULT_SYS_INTERVAL,
            "How often the broker publishes its `$SYS/broker/...` topics (retained, QoS 0; a topic only when its "
                    + "value changed, except the uptime); `0s` turns them off.");

    public static final ConfigKey<Boolean> PERSISTENCE = ConfigKey.of("persistence",
            ValueTypes.bool(), true,
            "Keep persistent sessions (their subscriptions, queued and unacknowledged messages) and retained "
                    + "messages across a graceful restart, in `DATA-DIRECTORY/broker`. They are written at the stop "
                    + "and read at the next start; `kill -9` loses what changed since the last start.");

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
            "Who may connect and what each client may do.",
            List.of(ACL_FILE, ACL));

    public static final ConfigKey<AclConfig> AUTH_KEY = ConfigKey.mappingOfDefaults("auth", AUTH,
            "Authentication and authorization: the keys of `broker.auth`.");

    /** The {@code broker} mapping. */
    public static final ConfigSection BROKER = new ConfigSection(
            "The MQTT broker: where it listens and the limits it enforces.",
            List.of(LISTENERS, MAX_PACKET_SIZE, MAX_CONNECTIONS, MAX_INFLIGHT, MAX_QUEUED_MESSAGES,
                    QUEUE_FULL_POLICY, MAX_KEEP_ALIVE, MAX_SESSION_EXPIRY, TOPIC_ALIAS_MAXIMUM, CONNECT_TIMEOUT,
                    SYS_INTERVAL, PERSISTENCE, AUTH_KEY));

    private BrokerKeys() {
    }

    /** A key of one of the broker's own limits, with the range and default the broker declares. */
    private static ConfigKey<Integer> limit(String name, BrokerLimit limit, String doc) {
        return ConfigKey.of(name, ValueTypes.integer((int) limit.min(), (int) limit.max()), limit.intDefault(), doc);
    }
}
