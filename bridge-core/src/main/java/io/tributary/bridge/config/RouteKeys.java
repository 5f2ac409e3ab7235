package io.tributary.bridge.config;

import io.tributary.bridge.mapping.Condition;
import io.tributary.bridge.mapping.Template;
import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.QoS;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The declaration of every key of a route: read by {@link ConfigLoader}, listed in errors and generated into
 * {@code docs/configuration.md}.
 */
public final class RouteKeys {

    private static final RetrySettings RETRY_DEFAULTS = RetrySettings.defaults();

    public static final ConfigKey<String> CONNECTION = ConfigKey.withoutFixedDefault("connection",
            ValueTypes.name(), "required",
            "The name of a `connections.kafka` entry.");

    public static final ConfigKey<String> SOURCE_TOPIC = ConfigKey.withoutFixedDefault("topic",
            ValueTypes.kafkaTopic(), "required",
            "The Kafka topic to read.");

    public static final ConfigKey<String> GROUP = ConfigKey.withoutFixedDefault("group",
            ValueTypes.name(), "`tributary-` and the route name",
            "The consumer group; Tributary instances in the same group share the topic's partitions.");

    /** The {@code from.kafka} mapping of a route. */
    public static final ConfigSection FROM_KAFKA = new ConfigSection(
            "The Kafka topic a route reads.",
            List.of(CONNECTION, SOURCE_TOPIC, GROUP));

    public static final ConfigKey<String> MQTT_CONNECTION = ConfigKey.withoutFixedDefault("connection",
            ValueTypes.name(), "the built-in broker",
            "The name of a `connections.mqtt` entry: the external broker to read from.");

    public static final ConfigKey<TopicPattern> MQTT_SOURCE_TOPIC = ConfigKey.withoutFixedDefault("topic",
            ValueTypes.topicPattern(), "required",
            "The topic filter, with `{name}` placeholders as in the short form. No `$share/`: use `shared-group`.");

    public static final ConfigKey<QoS> SOURCE_QOS = ConfigKey.of("qos",
            ValueTypes.qos(), QoS.AT_LEAST_ONCE,
            "`connection` only: the QoS to subscribe at, the most the external broker sends the messages with.");

    public static final ConfigKey<String> SHARED_GROUP = ConfigKey.withoutFixedDefault("shared-group",
            ValueTypes.name(), "none",
            "`connection` only: subscribe as `$share/<group>/<topic>`, so that the Tributary instances of one group "
                    + "split the messages between them.");

    /** The {@code from.mqtt} mapping of a route. */
    public static final ConfigSection FROM_MQTT = new ConfigSection(
            "The MQTT messages a route reads: of the built-in broker, or with `connection` of an external one.",
            List.of(MQTT_CONNECTION, MQTT_SOURCE_TOPIC, SOURCE_QOS, SHARED_GROUP));

    public static final ConfigKey<RouteSource> MQTT_SOURCE = ConfigKey.structure("mqtt",
            Shape.mappingOrShorthand(FROM_MQTT), "an MQTT topic filter or " + Shape.expected(FROM_MQTT), "none",
            "Messages published to the broker on topics matching this filter. `{name}` matches one level and "
                    + "names it, `{name...}` the remaining levels; `+` and `#` match unnamed. Or a mapping with the "
                    + "keys of `routes[].from.mqtt`, to read from an external broker.");

    public static final ConfigKey<RouteSource.Kafka> KAFKA_SOURCE = ConfigKey.section("kafka", FROM_KAFKA, "none",
            "Records of a Kafka topic, with the keys of `routes[].from.kafka`.");

    /** The {@code from} mapping of a route. */
    public static final ConfigSection FROM_SECTION = ConfigSection.oneOf(
            "Where a route's messages come from: exactly one of these keys.",
            List.of(MQTT_SOURCE, KAFKA_SOURCE));

    public static final ConfigKey<Template> KAFKA_TOPIC = ConfigKey.withoutFixedDefault("topic",
            ValueTypes.template(), "required",
            "The Kafka topic, a template such as `telemetry.{site}`.");

    public static final ConfigKey<Template> KEY = ConfigKey.withoutFixedDefault("key",
            ValueTypes.template(), "no key",
            "The record key, a template such as `{device}`.");

    public static final ConfigKey<Map<String, Template>> HEADERS = ConfigKey.structure("headers",
            new Shape.Entries(Shape.VALUE, "header"), "a mapping of header names to templates", "none",
            "Record headers to add, each value a template.");

    /** The {@code kafka} mapping of a route's {@code to} or {@code dead-letter}. */
    public static final ConfigSection TO_KAFKA = new ConfigSection(
            "The Kafka record a route writes for each message.",
            List.of(CONNECTION, KAFKA_TOPIC, KEY, HEADERS));

    public static final ConfigKey<String> MQTT_SINK_CONNECTION = ConfigKey.withoutFixedDefault("connection",
            ValueTypes.name(), "the built-in broker",
            "The name of a `connections.mqtt` entry: the external broker to publish to. The route completes (and the "
                    + "message that came in is acknowledged) once that broker acknowledged the publish.");

    public static final ConfigKey<Template> MQTT_TOPIC = ConfigKey.withoutFixedDefault("topic",
            ValueTypes.template(), "required",
            "The topic to publish to, a template such as `devices/{key}/commands`; no `+` or `#`.");

    public static final ConfigKey<QoS> QOS = ConfigKey.withoutFixedDefault("qos",
            ValueTypes.qos(), "the incoming message's QoS; 1 for Kafka records",
            "The QoS to publish at.");

    public static final ConfigKey<Boolean> RETAIN = ConfigKey.of("retain",
            ValueTypes.bool(), false,
            "Whether the published message is retained.");

    /** The {@code mqtt} mapping of a route's {@code to} or {@code dead-letter}. */
    public static final ConfigSection TO_MQTT = new ConfigSection(
            "The MQTT message a route publishes for each message: into the built-in broker, or with `connection` to an "
                    + "external one.",
            List.of(MQTT_SINK_CONNECTION, MQTT_TOPIC, QOS, RETAIN));

    public static final ConfigKey<Secret> BEARER = ConfigKey.secret("bearer", ConnectionKeys.SECRET, "none",
            "`Authorization: Bearer` and the token read from this secret.");

    public static final ConfigKey<String> BASIC_USERNAME = ConfigKey.withoutFixedDefault("username",
            ValueTypes.userName(), "required",
            "The user name.");

    public static final ConfigKey<Secret> BASIC_PASSWORD = ConfigKey.secret("password", ConnectionKeys.SECRET, "required",
            "Where the password is read from.");

    /** The {@code auth.basic} mapping of a webhook. */
    public static final ConfigSection HTTP_BASIC = new ConfigSection(
            "A user name and the secret holding its password.",
            List.of(BASIC_USERNAME, BASIC_PASSWORD));

    public static final ConfigKey<HttpAuth.Basic> BASIC = ConfigKey.section("basic", HTTP_BASIC, "none",
            "`Authorization: Basic` from a user name and a password, with the keys of "
                    + "`routes[].to.http.auth.basic`.");

    /** The {@code auth} mapping of a webhook. */
    public static final ConfigSection HTTP_AUTH = ConfigSection.oneOf(
            "The credentials of a webhook: exactly one of these keys.",
            List.of(BEARER, BASIC));

    public static final ConfigKey<Template> URL = ConfigKey.withoutFixedDefault("url",
            ValueTypes.template(), "required",
            "Where requests go: an `http://` or `https://` URL, a template such as "
                    + "`https://hooks.example.com/{site}`, whose variables are URL-encoded.");

    public static final ConfigKey<String> METHOD = ConfigKey.of("method",
            ValueTypes.httpMethod(), "POST",
            "The request method.");

    public static final ConfigKey<RouteSink.WebhookFormat> FORMAT = ConfigKey.of("format",
            ValueTypes.oneOf(RouteSink.WebhookFormat.class), RouteSink.WebhookFormat.RAW,
            "The request body: `raw` is the payload as it is; `envelope` is a JSON object with the topic, the "
                    + "payload and the message's properties.");

    public static final ConfigKey<Duration> TIMEOUT = ConfigKey.of("timeout",
            ValueTypes.duration(), Duration.ofSeconds(10),
            "How long one request may take, connecting included, before it counts as failed.");

    public static final ConfigKey<Integer> CONCURRENCY = ConfigKey.of("concurrency",
            ValueTypes.integer(1, 256), 4,
            "Requests of the route in flight at once.");

    public static final ConfigKey<Map<String, Template>> HTTP_HEADERS = ConfigKey.structure("headers",
            new Shape.Entries(Shape.VALUE, "header"), "a mapping of header names to templates", "none",
            "Request headers to add, each value a template; credentials go in `auth`.");

    public static final ConfigKey<HttpAuth> AUTH = ConfigKey.section("auth", HTTP_AUTH, "none",
            "Credentials sent with every request, with the keys of `routes[].to.http.auth`.");

    /** The {@code http} mapping of a route's {@code to} or {@code dead-letter}. */
    public static final ConfigSection TO_HTTP = new ConfigSection(
            "The HTTP request a route makes for each message (a webhook); a 2xx answer is a delivery.",
            List.of(URL, METHOD, FORMAT, TIMEOUT, CONCURRENCY, HTTP_HEADERS, AUTH));

    public static final ConfigKey<Template> COLUMN_VALUE = ConfigKey.withoutFixedDefault("value",
            ValueTypes.template(), "required",
            "The column's value, a template such as `{json.temperature}`.");

    public static final ConfigKey<RouteSink.ColumnType> COLUMN_TYPE = ConfigKey.of("type",
            ValueTypes.oneOf(RouteSink.ColumnType.class), RouteSink.ColumnType.TEXT,
            "The SQL type the value is converted to; a value that does not convert is a mapping error.");

    /** Each value of {@code columns} written as a mapping. */
    public static final ConfigSection JDBC_COLUMN = new ConfigSection(
            "One column written as a mapping, to give its type.",
            List.of(COLUMN_VALUE, COLUMN_TYPE));

    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.of("size",
            ValueTypes.integer(1, 10_000), 100,
            "Rows written together at most.");

    public static final ConfigKey<Duration> BATCH_TIME = ConfigKey.of("time",
            ValueTypes.durationOrZero(), Duration.ZERO,
            "How long the first row of a batch may wait for others before the batch is written. At 0 a batch "
                    + "is written as soon as the sink's writer is free, with every row queued by then: rows that "
                    + "come while a batch commits make up the next one (group commit).");

    /** The {@code batch} mapping of a JDBC sink. */
    public static final ConfigSection JDBC_BATCH = new ConfigSection(
            "How a route gathers rows: a batch is written when it has `size` rows, or when its first row waited "
                    + "`time` (at once by default).",
            List.of(BATCH_SIZE, BATCH_TIME));

    public static final ConfigKey<String> JDBC_CONNECTION = ConfigKey.withoutFixedDefault("connection",
            ValueTypes.name(), "required",
            "The name of a `connections.jdbc` entry.");

    public static final ConfigKey<String> TABLE = ConfigKey.withoutFixedDefault("table",
            ValueTypes.sqlName(), "required",
            "The table the rows are written to.");

    public static final ConfigKey<List<RouteSink.Column>> COLUMNS = ConfigKey.structure("columns",
            new Shape.Entries(Shape.mappingOrShorthand(JDBC_COLUMN), "column"),
            "a mapping of column names to templates or to mappings with the keys " + JDBC_COLUMN.allowedKeys(),
            "required",
            "The columns of each row, in order: a SQL name and either a template, for a `text` column, or the "
                    + "keys of `routes[].to.jdbc.columns.<name>`.");

    // No value of its own: its keys become the batch size and time of RouteSink.Jdbc.
    public static final ConfigKey<Void> BATCH = ConfigKey.mappingOfDefaults("batch", JDBC_BATCH,
            "How rows are gathered into one write, with the keys of `routes[].to.jdbc.batch`.");

    public static final ConfigKey<List<String>> UPSERT_KEY = ConfigKey.structure("upsert-key",
            Shape.byIndex(Shape.VALUE, "upsert-key column"), "a list of column names", "none: every row is inserted",
            "Columns that identify a row: a row whose values of these columns match a row of the table "
                    + "replaces it.");

    public static final ConfigKey<Boolean> CREATE_TABLE = ConfigKey.of("create-table",
            ValueTypes.bool(), false,
            "Whether the table is created with the columns' types at start when it does not exist.");

    /** The {@code jdbc} mapping of a route's {@code to} or {@code dead-letter}. */
    public static final ConfigSection TO_JDBC = new ConfigSection(
            "The row a route writes for each message into a table of a `connections.jdbc` database.",
            List.of(JDBC_CONNECTION, TABLE, COLUMNS, BATCH, UPSERT_KEY, CREATE_TABLE));

    public static final ConfigKey<RouteSink.Kafka> KAFKA_SINK = ConfigKey.section("kafka", TO_KAFKA, "none",
            "A Kafka record per message, with the keys of `routes[].to.kafka`.");

    public static final ConfigKey<RouteSink.Mqtt> MQTT_SINK = ConfigKey.section("mqtt", TO_MQTT, "none",
            "A message published into the built-in broker or an external one, with the keys of `routes[].to.mqtt`.");

    public static final ConfigKey<RouteSink.Http> HTTP_SINK = ConfigKey.section("http", TO_HTTP, "none",
            "An HTTP request per message (a webhook), with the keys of `routes[].to.http`.");

    public static final ConfigKey<RouteSink.Jdbc> JDBC_SINK = ConfigKey.section("jdbc", TO_JDBC, "none",
            "A row per message in a SQL table, with the keys of `routes[].to.jdbc`.");

    /** The {@code to} and {@code dead-letter} mappings of a route. */
    public static final ConfigSection TO_SECTION = ConfigSection.oneOf(
            "Where a route delivers, and the shape of `routes[].dead-letter`: exactly one of these keys.",
            List.of(KAFKA_SINK, MQTT_SINK, HTTP_SINK, JDBC_SINK));

    public static final ConfigKey<Integer> MAX_ATTEMPTS = ConfigKey.of("max-attempts",
            ValueTypes.integer(1, Integer.MAX_VALUE), RETRY_DEFAULTS.maxAttempts(),
            "Deliveries tried in all, the first included; 1 means no retry.");

    public static final ConfigKey<Duration> INITIAL_BACKOFF = ConfigKey.of("initial-backoff",
            ValueTypes.duration(), RETRY_DEFAULTS.initialBackoff(),
            "The wait before the second attempt.");

    public static final ConfigKey<Double> MULTIPLIER = ConfigKey.of("multiplier",
            ValueTypes.decimal(1, Double.MAX_VALUE), RETRY_DEFAULTS.multiplier(),
            "Each further wait is the previous one times this.");

    public static final ConfigKey<Duration> MAX_BACKOFF = ConfigKey.of("max-backoff",
            ValueTypes.duration(), RETRY_DEFAULTS.maxBackoff(),
            "No wait is longer than this; at least `initial-backoff`.");

    /** The {@code retry} mapping of a route. */
    public static final ConfigSection RETRY_SECTION = new ConfigSection(
            "How a route retries a failed delivery: waits grow from `initial-backoff` by `multiplier` up to "
                    + "`max-backoff`.",
            List.of(MAX_ATTEMPTS, INITIAL_BACKOFF, MULTIPLIER, MAX_BACKOFF));

    private static final BufferSettings BUFFER_DEFAULTS = BufferSettings.defaults();

    public static final ConfigKey<Long> BUFFER_MAX_MESSAGES = ConfigKey.of("max-messages",
            ValueTypes.longInteger(1, 1_000_000_000L), BUFFER_DEFAULTS.maxMessages(),
            "Messages the buffer holds at most.");

    public static final ConfigKey<Long> BUFFER_MAX_BYTES = ConfigKey.of("max-bytes",
            ValueTypes.longInteger(1024, 1L << 50), BUFFER_DEFAULTS.maxBytes(),
            "Bytes (payload, topic and properties) the buffer holds at most; the files on disk take somewhat "
                    + "more until RocksDB compacts them.");

    public static final ConfigKey<Duration> BUFFER_MAX_AGE = ConfigKey.of("max-age",
            ValueTypes.duration(), BUFFER_DEFAULTS.maxAge(),
            "Once the oldest buffered message waited this long for the sink, the buffer counts as full. Nothing "
                    + "is dropped for its age: the bound only stops the buffer from growing.");

    public static final ConfigKey<BufferSettings.WhenFull> BUFFER_WHEN_FULL = ConfigKey.of("when-full",
            ValueTypes.oneOf(BufferSettings.WhenFull.class), BUFFER_DEFAULTS.whenFull(),
            "What a QoS 1/2 message meets while the buffer is full: `hold` keeps its PUBACK/PUBREC until there is "
                    + "room (back-pressure, as `ack: sink` does when the sink is down); `refuse` answers an MQTT 5 "
                    + "publisher 0x97 (quota exceeded) and disconnects an MQTT 3.1.1 one, which has no negative "
                    + "acknowledgement. A QoS 0 message is dropped and counted either way.");

    public static final ConfigKey<Integer> BUFFER_UNREADY_AT = ConfigKey.of("unready-at",
            ValueTypes.integer(1, 100), BUFFER_DEFAULTS.unreadyAtPercent(),
            "`/health/ready` reports the route once its buffer reaches this percent of `max-messages`, "
                    + "`max-bytes` or `max-age`.");

    public static final ConfigKey<Integer> BUFFER_PUBLISHER_WINDOW = ConfigKey.of("publisher-window",
            ValueTypes.integer(1, 1000), BUFFER_DEFAULTS.publisherWindow(),
            "Messages of one publisher forwarded to the sink at once. At 1 each publisher's messages reach the "
                    + "sink in the order published, through every retry, and one publisher's rate is bounded by "
                    + "the sink's round trip. Above it, a Kafka sink still keeps the order while its producer "
                    + "retries (an outage shorter than `delivery.timeout.ms`, 120 s by default), but when the route "
                    + "itself retries a message, those that were in flight with it may land before it; a webhook "
                    + "with `concurrency` above 1 may reorder them in any case.");

    /** The {@code buffer} mapping of a route. */
    public static final ConfigSection BUFFER_SECTION = new ConfigSection(
            "The bounds of a route's on-disk buffer (`ack: buffer`): whichever is reached first makes it full.",
            List.of(BUFFER_MAX_MESSAGES, BUFFER_MAX_BYTES, BUFFER_MAX_AGE, BUFFER_WHEN_FULL, BUFFER_UNREADY_AT,
                    BUFFER_PUBLISHER_WINDOW));

    public static final ConfigKey<String> NAME = ConfigKey.withoutFixedDefault("name",
            ValueTypes.name(), "required",
            "Names the route in logs and metrics; unique among the routes.");

    public static final ConfigKey<RouteSource> FROM = ConfigKey.section("from", FROM_SECTION, "required",
            "Where messages come from: one key of `routes[].from`.");

    public static final ConfigKey<RouteSink> TO = ConfigKey.section("to", TO_SECTION, "required",
            "Where messages are delivered: one key of `routes[].to`.");

    public static final ConfigKey<Condition> CONDITION = ConfigKey.withoutFixedDefault("condition",
            ValueTypes.condition(), "every message",
            "Which messages the route takes, such as `{json.temperature} > 30 and {site} != 'test'` (see "
                    + "[Conditions](#conditions)). Quote it in YAML.");

    public static final ConfigKey<RetrySettings> RETRY = ConfigKey.mappingOfDefaults("retry", RETRY_SECTION,
            "How a failed delivery is retried, with the keys of `routes[].retry`.");

    public static final ConfigKey<RouteSink> DEAD_LETTER = ConfigKey.section("dead-letter", TO_SECTION,
            "`$dead-letter/ROUTE` for what can never be delivered; other failures go back to the source",
            "Where a message goes when every attempt failed, or at once when it can never be delivered (its "
                    + "payload does not fit the mapping, the sink refuses it for good): one key of `routes[].to`, "
                    + "whose templates may also use `{error}` and `{route}`.");

    public static final ConfigKey<AckMode> ACK = ConfigKey.of("ack",
            ValueTypes.oneOf(AckMode.class), AckMode.SINK,
            "When a device's QoS 1/2 message is acknowledged: `sink` once the sink has it (Kafka `acks=all`, HTTP "
                    + "2xx, SQL commit); `buffer` once it is fsynced in the route's buffer on disk, from which it is "
                    + "forwarded to the sink, in order per publisher, with `retry` and `dead-letter`. `buffer` "
                    + "needs an `mqtt` source.");

    public static final ConfigKey<BufferSettings> BUFFER = ConfigKey.mappingOfDefaults("buffer", BUFFER_SECTION,
            "The bounds of the buffer with `ack: buffer`, with the keys of `routes[].buffer`.");

    /** Each item of {@code routes}. */
    public static final ConfigSection ROUTE = new ConfigSection(
            "One route: messages from `from` that pass `condition` are delivered to `to`.",
            List.of(NAME, FROM, TO, CONDITION, RETRY, DEAD_LETTER, ACK, BUFFER));

    private RouteKeys() {
    }
}
