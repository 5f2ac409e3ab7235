package io.tributary.bridge.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The declaration of every key of the {@code connections} section, its Kafka, SQL and MQTT connections, and of
 * secrets: read by {@link ConfigLoader}, listed in errors and generated into {@code docs/configuration.md}.
 */
public final class ConnectionKeys {

    /** What a Kafka or SQL connection may be written as instead of a mapping: {@code main: embedded}. */
    public static final String EMBEDDED_SHORTHAND = "embedded";

    /** What every key holding a secret expects, in errors and in the reference. */
    public static final String SECRET_EXPECTED = "a secret: { env: NAME } or { file: PATH }";

    public static final ConfigKey<String> SECRET_ENV = ConfigKey.withoutFixedDefault("env",
            ValueTypes.environmentVariable(), "none",
            "The environment variable that holds the secret.");

    public static final ConfigKey<Path> SECRET_FILE = ConfigKey.withoutFixedDefault("file",
            ValueTypes.file(), "none",
            "The file that holds the secret; trailing line breaks are dropped. A relative path is resolved "
                    + "against the configuration file's folder; the file must exist.");

    /** Every secret, wherever it is: a JDBC password, a webhook's token or password. */
    public static final ConfigSection SECRET = ConfigSection.oneOf(
            "Where a secret is read from, since none is written in the file: exactly one of these keys. Every "
                    + "secret has this shape, such as the token of `routes[].to.http.auth.bearer`.",
            List.of(SECRET_ENV, SECRET_FILE));

    public static final ConfigKey<String> BOOTSTRAP_SERVERS = ConfigKey.withoutFixedDefault("bootstrap-servers",
            ValueTypes.bootstrapServers(), "required unless `embedded`",
            "The `host:port` addresses of an external Kafka cluster, separated by commas.");

    public static final ConfigKey<Boolean> EMBEDDED = ConfigKey.of("embedded",
            ValueTypes.bool(), false,
            "When true, Tributary runs a single-node Kafka in its own process, keeping its data under "
                    + "`data-directory`, instead of connecting to `bootstrap-servers`. At most one connection "
                    + "may be embedded.");

    public static final ConfigKey<Integer> PORT = ConfigKey.of("port",
            ValueTypes.integer(0, 65_535), 9092,
            "`embedded` only: the port the embedded Kafka listens on, on 127.0.0.1; 0 picks a free one.");

    public static final ConfigKey<Map<String, String>> PROPERTIES = ConfigKey.structure("properties",
            new Shape.Entries(Shape.VALUE, "property"), "a mapping of Kafka client properties to values", "none",
            "Kafka client properties for this connection's producers and consumers, such as "
                    + "`security.protocol: SSL`, passed as written. The settings the delivery guarantees rest on "
                    + "are Tributary's and refused here: " + GuaranteedKafkaProperties.describe() + ", `retries` "
                    + "below 1 and `max.in.flight.requests.per.connection` above "
                    + GuaranteedKafkaProperties.MAX_IN_FLIGHT + ".");

    public static final ConfigKey<Duration> LINGER = ConfigKey.of("linger",
            ValueTypes.durationOrZero(), Duration.ZERO,
            "How long the routes' producers let a batch of records wait for more before sending it (Kafka's "
                    + "`linger.ms`). At 0 a batch leaves as soon as the connection can take it; under load the records "
                    + "that come meanwhile make up the next one. A device's PUBACK waits for Kafka, so this adds "
                    + "to its round trip.");

    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.of("batch-size",
            ValueTypes.integer(0, 16 * 1024 * 1024), 16_384,
            "The most bytes of records the routes' producers put in one batch for one partition (Kafka's "
                    + "`batch.size`); 0 sends every record on its own.");

    public static final ConfigKey<KafkaCompression> COMPRESSION = ConfigKey.of("compression",
            ValueTypes.oneOf(KafkaCompression.class), KafkaCompression.NONE,
            "How the routes' producers compress their batches (Kafka's `compression.type`).");

    public static final ConfigKey<Integer> MAX_IN_FLIGHT = ConfigKey.of("max-in-flight",
            ValueTypes.integer(1, GuaranteedKafkaProperties.MAX_IN_FLIGHT), GuaranteedKafkaProperties.MAX_IN_FLIGHT,
            "Produce requests a route's producer sends to one Kafka broker without waiting for their answers "
                    + "(Kafka's `max.in.flight.requests.per.connection`). At most "
                    + GuaranteedKafkaProperties.MAX_IN_FLIGHT + ": the producers are idempotent, which keeps each "
                    + "partition's order through retries up to that many.");

    /** Each value of {@code connections.kafka} written as a mapping. */
    public static final ConfigSection KAFKA_CONNECTION = new ConfigSection(
            "One Kafka cluster: an external one (`bootstrap-servers`) or one that Tributary runs itself "
                    + "(`embedded: true`); exactly one of the two.",
            List.of(BOOTSTRAP_SERVERS, EMBEDDED, PORT, LINGER, BATCH_SIZE, COMPRESSION, MAX_IN_FLIGHT, PROPERTIES));

    public static final ConfigKey<String> URL = ConfigKey.withoutFixedDefault("url",
            ValueTypes.jdbcUrl(), "required unless `embedded`",
            "The JDBC URL of the database, such as `jdbc:postgresql://db:5432/tributary`, without a password.");

    public static final ConfigKey<Boolean> JDBC_EMBEDDED = ConfigKey.of("embedded",
            ValueTypes.bool(), false,
            "When true, the database is an H2 file database that Tributary keeps in `h2/<name>` under "
                    + "`data-directory`, instead of the one at `url`.");

    public static final ConfigKey<String> USERNAME = ConfigKey.withoutFixedDefault("username",
            ValueTypes.text(), "none",
            "`url` only: the user to log in as.");

    public static final ConfigKey<Secret> PASSWORD = ConfigKey.secret("password", SECRET, "none",
            "`url` only: where the password is read from, with the keys of `connections.jdbc.<name>.password`.");

    public static final ConfigKey<Integer> POOL_SIZE = ConfigKey.of("pool-size",
            ValueTypes.integer(1, 64), 4,
            "Connections to the database kept open at most, shared by the routes that write to it.");

    /** Each value of {@code connections.jdbc} written as a mapping. */
    public static final ConfigSection JDBC_CONNECTION = new ConfigSection(
            "One SQL database: one reached by `url` (PostgreSQL) or an H2 file database that Tributary keeps "
                    + "itself (`embedded: true`); exactly one of the two.",
            List.of(URL, JDBC_EMBEDDED, USERNAME, PASSWORD, POOL_SIZE));

    public static final ConfigKey<MqttConnectionSettings.Address> MQTT_URL = ConfigKey.withoutFixedDefault("url",
            ValueTypes.mqttUrl(), "required",
            "The broker's address, `tcp://host:port` (`mqtt://` alike; port 1883 when left out), or `ssl://host:port` "
                    + "for TLS (`mqtts://` alike; port 8883 when left out), trusting the authorities of `tls.ca`, or the "
                    + "JVM's when there is none.");

    public static final ConfigKey<String> MQTT_VERSION = ConfigKey.of("version",
            ValueTypes.mqttVersion(), "5",
            "The MQTT version spoken to the broker: 5 or 3.1.1. Over 3.1.1 no MQTT 5 property passes (user "
                    + "properties, content type, response topic, correlation data, message expiry), and neither do the "
                    + "hop count of `max-hops` nor No Local, so only the loop check of the routes stops a circle; the "
                    + "session is kept (clean session off) when `session-expiry` is above 0, for as long as the "
                    + "broker keeps sessions; and each reconnect gets the broker's retained messages again.");

    public static final ConfigKey<String> MQTT_CLIENT_ID = ConfigKey.withoutFixedDefault("client-id",
            ValueTypes.mqttClientId(), "`tributary-<name>-<host name>`",
            "The client identifier, which names the session the broker keeps. Each Tributary instance needs its own: "
                    + "a second client with the same one takes the session over. `${HOSTNAME}` makes one per host.");

    public static final ConfigKey<String> MQTT_USERNAME = ConfigKey.withoutFixedDefault("username",
            ValueTypes.text(), "none",
            "The user name to connect with.");

    public static final ConfigKey<Secret> MQTT_PASSWORD = ConfigKey.secret("password", SECRET, "none",
            "Where the password is read from, with the keys of `connections.jdbc.<name>.password`.");

    /** The longest Session Expiry Interval MQTT 5 can carry: 2^32 - 1 seconds (which means "never"). */
    static final Duration MAX_SESSION_EXPIRY = Duration.ofSeconds(4_294_967_295L);

    public static final ConfigKey<Duration> SESSION_EXPIRY = ConfigKey.of("session-expiry",
            ValueTypes.durationOrZero(), Duration.ofDays(1),
            "How long the broker keeps the session, with the messages it has not seen acknowledged, while Tributary "
                    + "is away. 0s starts a new session at every connect, so what was in flight at a crash is lost.");

    public static final ConfigKey<Duration> KEEP_ALIVE = ConfigKey.of("keep-alive",
            ValueTypes.durationOrZero(), Duration.ofSeconds(30),
            "The MQTT keep-alive, in whole seconds up to 65535s: how soon a silent connection is found dead. 0s "
                    + "turns it off.");

    public static final ConfigKey<Integer> MQTT_MAX_IN_FLIGHT = ConfigKey.of("max-inflight",
            ValueTypes.integer(1, 65_535), 100,
            "QoS 1/2 messages the broker may send before Tributary acknowledges one (MQTT 5 Receive Maximum), shared "
                    + "by the routes reading this connection. A message is acknowledged once every route's sink has "
                    + "it. Also the most publishes of the routes writing to this connection that wait for the broker's "
                    + "acknowledgement at once (fewer if the broker's Receive Maximum is lower).");

    public static final ConfigKey<Duration> PUBLISH_TIMEOUT = ConfigKey.of("publish-timeout",
            ValueTypes.duration(), Duration.ofSeconds(30),
            "How long a route's publish to this broker may wait for its acknowledgement (PUBACK at QoS 1, PUBCOMP at "
                    + "QoS 2), also while the link is down, before that attempt fails and the route retries it or "
                    + "dead-letters it. The message that came in (a device's PUBACK, a Kafka offset) waits as long.");

    public static final ConfigKey<Integer> MAX_HOPS = ConfigKey.of("max-hops",
            ValueTypes.integer(1, 255), 8,
            "Every message Tributary publishes to an external broker carries the user property `tributary-hops`, "
                    + "one more than the message it came from. A message from this broker whose count is at least "
                    + "this is acknowledged and dropped (counted as looped), so that routes which send messages "
                    + "round in a circle, through this broker or others, stop. MQTT 5 only.");

    public static final ConfigKey<Path> MQTT_TLS_CA = ConfigKey.withoutFixedDefault("ca",
            ValueTypes.file(), "the JVM's trusted authorities",
            "PEM file of the certificate authorities that the broker's certificate must be signed by. A relative path "
                    + "is resolved against the configuration file's folder.");

    public static final ConfigKey<Path> MQTT_TLS_CERT = ConfigKey.withoutFixedDefault("cert",
            ValueTypes.file(), "none: no client certificate",
            "PEM file of the client certificate (its chain, leaf first) that Tributary presents to a broker asking "
                    + "for one; needs `key`.");

    public static final ConfigKey<Path> MQTT_TLS_KEY = ConfigKey.withoutFixedDefault("key",
            ValueTypes.file(), "none",
            "PEM file of the client certificate's private key, unencrypted PKCS#8; needs `cert`.");

    public static final ConfigKey<Boolean> MQTT_TLS_VERIFY_HOSTNAME = ConfigKey.of("verify-hostname",
            ValueTypes.bool(), true,
            "Whether the broker's certificate must name the host of `url`. Turning it off lets any certificate of a "
                    + "trusted authority stand in for the broker.");

    /** The {@code tls} of an MQTT connection. */
    public static final ConfigSection MQTT_TLS_SECTION = new ConfigSection(
            "How Tributary checks the broker of an `ssl://` connection, and the client certificate it presents.",
            List.of(MQTT_TLS_CA, MQTT_TLS_CERT, MQTT_TLS_KEY, MQTT_TLS_VERIFY_HOSTNAME));

    public static final ConfigKey<MqttConnectionSettings.Tls> MQTT_TLS = ConfigKey.section("tls", MQTT_TLS_SECTION,
            "for `ssl://`: the JVM's trusted authorities, no client certificate",
            "`ssl://` only: the keys of `connections.mqtt.<name>.tls`.");

    /** Each value of {@code connections.mqtt}. */
    public static final ConfigSection MQTT_CONNECTION = new ConfigSection(
            "One external MQTT broker that routes read from (`routes[].from.mqtt.connection`) and write to "
                    + "(`routes[].to.mqtt.connection`), over one persistent MQTT 5 or 3.1.1 session.",
            List.of(MQTT_URL, MQTT_VERSION, MQTT_CLIENT_ID, MQTT_USERNAME, MQTT_PASSWORD, SESSION_EXPIRY, KEEP_ALIVE,
                    MQTT_MAX_IN_FLIGHT, PUBLISH_TIMEOUT, MAX_HOPS, MQTT_TLS));

    public static final ConfigKey<Map<String, MqttConnectionSettings>> MQTT = ConfigKey.structure("mqtt",
            new Shape.Entries(Shape.mapping(MQTT_CONNECTION), "MQTT connection"),
            "a mapping of connection names to MQTT brokers", "none",
            "External MQTT brokers by name (letters, digits, '.', '_' or '-'), each with the keys of "
                    + "`connections.mqtt.<name>`.");

    public static final ConfigKey<Map<String, KafkaConnectionSettings>> KAFKA = ConfigKey.structure("kafka",
            new Shape.Entries(Shape.mappingOrShorthand(KAFKA_CONNECTION), "Kafka connection"),
            "a mapping of connection names to Kafka connections", "none",
            "Kafka clusters by name (letters, digits, '.', '_' or '-'). Each has the keys of "
                    + "`connections.kafka.<name>`, or is just `embedded`, short for `{ embedded: true }`.");

    public static final ConfigKey<Map<String, JdbcConnectionSettings>> JDBC = ConfigKey.structure("jdbc",
            new Shape.Entries(Shape.mappingOrShorthand(JDBC_CONNECTION), "SQL connection"),
            "a mapping of connection names to SQL databases", "none",
            "SQL databases by name (letters, digits, '.', '_' or '-'). Each has the keys of "
                    + "`connections.jdbc.<name>`, or is just `embedded`, short for `{ embedded: true }`.");

    /** The {@code connections} mapping: one key per kind of external system. */
    public static final ConfigSection CONNECTIONS = new ConfigSection(
            "The external systems that routes read from and write to, each under a name that routes refer to.",
            List.of(KAFKA, JDBC, MQTT));

    private ConnectionKeys() {
    }
}
