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

    public static final ConfigKey<String> NAME = ConfigKey.withoutFixedDefault("name",
            ValueTypes.name(), "required",
            "Names the route in logs and metrics; unique among the routes.");

    public static final ConfigKey<RouteSource> FROM = ConfigKey.withoutFixedDefault("from",
            ValueTypes.structure("a mapping with one of the keys mqtt, kafka"), "required",
            "Where messages come from: one key of `routes[].from`.");

    public static final ConfigKey<RouteSink> TO = ConfigKey.withoutFixedDefault("to",
            ValueTypes.structure("a mapping with one of the keys kafka, mqtt, http, jdbc"), "required",
            "Where messages are delivered: one key of `routes[].to`.");

    public static final ConfigKey<Condition> CONDITION = ConfigKey.withoutFixedDefault("condition",
            ValueTypes.condition(), "every message",
            "Which messages the route takes, such as `{json.temperature} > 30 and {site} != 'test'` (see "
                    + "[Conditions](#conditions)). Quote it in YAML.");

    public static final ConfigKey<RetrySettings> RETRY = ConfigKey.mappingOfDefaults("retry",
            "a mapping with the keys max-attempts, initial-backoff, multiplier, max-backoff",
            "How a failed delivery is retried, with the keys of `routes[].retry`.");

    public static final ConfigKey<RouteSink> DEAD_LETTER = ConfigKey.withoutFixedDefault("dead-letter",
            ValueTypes.structure("a mapping with one of the keys kafka, mqtt, http, jdbc"),
            "none: the failure goes back to the source",
            "Where a message goes when every attempt failed: one key of `routes[].to`, whose templates may "
                    + "also use `{error}` and `{route}`.");

    public static final ConfigKey<TopicPattern> MQTT_SOURCE = ConfigKey.withoutFixedDefault("mqtt",
            ValueTypes.topicPattern(), "none",
            "Messages published to the broker on topics matching this filter. `{name}` matches one level and "
                    + "names it, `{name...}` the remaining levels; `+` and `#` match unnamed.");

    public static final ConfigKey<RouteSource.Kafka> KAFKA_SOURCE = ConfigKey.withoutFixedDefault("kafka",
            ValueTypes.structure("a mapping with the keys connection, topic, group"), "none",
            "Records of a Kafka topic, with the keys of `routes[].from.kafka`.");

    public static final ConfigKey<String> CONNECTION = ConfigKey.withoutFixedDefault("connection",
            ValueTypes.name(), "required",
            "The name of a `connections.kafka` entry.");

    public static final ConfigKey<String> SOURCE_TOPIC = ConfigKey.withoutFixedDefault("topic",
            ValueTypes.kafkaTopic(), "required",
            "The Kafka topic to read.");

    public static final ConfigKey<String> GROUP = ConfigKey.withoutFixedDefault("group",
            ValueTypes.name(), "`tributary-` and the route name",
            "The consumer group; Tributary instances in the same group share the topic's partitions.");

    public static final ConfigKey<RouteSink.Kafka> KAFKA_SINK = ConfigKey.withoutFixedDefault("kafka",
            ValueTypes.structure("a mapping with the keys connection, topic, key, headers"), "none",
            "A Kafka record per message, with the keys of `routes[].to.kafka`.");

    public static final ConfigKey<RouteSink.Mqtt> MQTT_SINK = ConfigKey.withoutFixedDefault("mqtt",
            ValueTypes.structure("a mapping with the keys topic, qos, retain"), "none",
            "A message published into the broker, with the keys of `routes[].to.mqtt`.");

    public static final ConfigKey<RouteSink.Http> HTTP_SINK = ConfigKey.withoutFixedDefault("http",
            ValueTypes.structure("a mapping with the keys url, method, format, timeout, concurrency, headers, auth"),
            "none",
            "An HTTP request per message (a webhook), with the keys of `routes[].to.http`.");

    public static final ConfigKey<RouteSink.Jdbc> JDBC_SINK = ConfigKey.withoutFixedDefault("jdbc",
            ValueTypes.structure("a mapping with the keys connection, table, columns, batch, upsert-key, "
                    + "create-table"), "none",
            "A row per message in a SQL table, with the keys of `routes[].to.jdbc`.");

    public static final ConfigKey<Template> KAFKA_TOPIC = ConfigKey.withoutFixedDefault("topic",
            ValueTypes.template(), "required",
            "The Kafka topic, a template such as `telemetry.{site}`.");

    public static final ConfigKey<Template> KEY = ConfigKey.withoutFixedDefault("key",
            ValueTypes.template(), "no key",
            "The record key, a template such as `{device}`.");

    public static final ConfigKey<Map<String, Template>> HEADERS = ConfigKey.withoutFixedDefault("headers",
            ValueTypes.structure("a mapping of header names to templates"), "none",
            "Record headers to add, each value a template.");

    public static final ConfigKey<Template> MQTT_TOPIC = ConfigKey.withoutFixedDefault("topic",
            ValueTypes.template(), "required",
            "The topic to publish to, a template such as `devices/{key}/commands`; no `+` or `#`.");

    public static final ConfigKey<QoS> QOS = ConfigKey.withoutFixedDefault("qos",
            ValueTypes.qos(), "the incoming message's QoS; 1 for Kafka records",
            "The QoS to publish at.");

    public static final ConfigKey<Boolean> RETAIN = ConfigKey.of("retain",
            ValueTypes.bool(), false,
            "Whether the published message is retained.");

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

    public static final ConfigKey<Map<String, Template>> HTTP_HEADERS = ConfigKey.withoutFixedDefault("headers",
            ValueTypes.structure("a mapping of header names to templates"), "none",
            "Request headers to add, each value a template; credentials go in `auth`.");

    public static final ConfigKey<HttpAuth> AUTH = ConfigKey.withoutFixedDefault("auth",
            ValueTypes.structure("a mapping with one of the keys bearer, basic"), "none",
            "Credentials sent with every request, with the keys of `routes[].to.http.auth`.");

    public static final ConfigKey<Secret> BEARER = ConfigKey.withoutFixedDefault("bearer",
            ValueTypes.structure(ConnectionKeys.SECRET_EXPECTED), "none",
            "`Authorization: Bearer` and the token read from this secret.");

    public static final ConfigKey<HttpAuth.Basic> BASIC = ConfigKey.withoutFixedDefault("basic",
            ValueTypes.structure("a mapping with the keys username, password"), "none",
            "`Authorization: Basic` from a user name and a password, with the keys of "
                    + "`routes[].to.http.auth.basic`.");

    public static final ConfigKey<String> BASIC_USERNAME = ConfigKey.withoutFixedDefault("username",
            ValueTypes.userName(), "required",
            "The user name.");

    public static final ConfigKey<Secret> BASIC_PASSWORD = ConfigKey.withoutFixedDefault("password",
            ValueTypes.structure(ConnectionKeys.SECRET_EXPECTED), "required",
            "Where the password is read from.");

    public static final ConfigKey<String> JDBC_CONNECTION = ConfigKey.withoutFixedDefault("connection",
            ValueTypes.name(), "required",
            "The name of a `connections.jdbc` entry.");

    public static final ConfigKey<String> TABLE = ConfigKey.withoutFixedDefault("table",
            ValueTypes.sqlName(), "required",
            "The table the rows are written to.");

    public static final ConfigKey<List<RouteSink.Column>> COLUMNS = ConfigKey.withoutFixedDefault("columns",
            ValueTypes.structure("a mapping of column names to templates or to mappings with the keys value, type"),
            "required",
            "The columns of each row, in order: a SQL name and either a template, for a `text` column, or the "
                    + "keys of `routes[].to.jdbc.columns.<name>`.");

    // No value of its own: its keys become the batch size and time of RouteSink.Jdbc.
    public static final ConfigKey<Void> BATCH = ConfigKey.mappingOfDefaults("batch",
            "a mapping with the keys size, time",
            "How rows are gathered into one write, with the keys of `routes[].to.jdbc.batch`.");

    public static final ConfigKey<List<String>> UPSERT_KEY = ConfigKey.withoutFixedDefault("upsert-key",
            ValueTypes.structure("a list of column names"), "none: every row is inserted",
            "Columns that identify a row: a row whose values of these columns match a row of the table "
                    + "replaces it.");

    public static final ConfigKey<Boolean> CREATE_TABLE = ConfigKey.of("create-table",
            ValueTypes.bool(), false,
            "Whether the table is created with the columns' types at start when it does not exist.");

    public static final ConfigKey<Template> COLUMN_VALUE = ConfigKey.withoutFixedDefault("value",
            ValueTypes.template(), "required",
            "The column's value, a template such as `{json.temperature}`.");

    public static final ConfigKey<RouteSink.ColumnType> COLUMN_TYPE = ConfigKey.of("type",
            ValueTypes.oneOf(RouteSink.ColumnType.class), RouteSink.ColumnType.TEXT,
            "The SQL type the value is converted to; a value that does not convert is a mapping error.");

    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.of("size",
            ValueTypes.integer(1, 10_000), 100,
            "Rows written together at most.");

    public static final ConfigKey<Duration> BATCH_TIME = ConfigKey.of("time",
            ValueTypes.durationOrZero(), Duration.ZERO,
            "How long the first row of a batch may wait for others before the batch is written. At 0 a batch "
                    + "is written as soon as the sink's writer is free, with every row queued by then: rows that "
                    + "come while a batch commits make up the next one (group commit).");

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

    /** Each item of {@code routes}. */
    public static final ConfigSection ROUTE = new ConfigSection("routes[]",
            "One route: messages from `from` that pass `condition` are delivered to `to`.",
            List.of(NAME, FROM, TO, CONDITION, RETRY, DEAD_LETTER));

    /** The {@code from} mapping of a route. */
    public static final ConfigSection FROM_SECTION = new ConfigSection("routes[].from",
            "Where a route's messages come from: exactly one of these keys.",
            List.of(MQTT_SOURCE, KAFKA_SOURCE));

    /** The {@code from.kafka} mapping of a route. */
    public static final ConfigSection FROM_KAFKA = new ConfigSection("routes[].from.kafka",
            "The Kafka topic a route reads.",
            List.of(CONNECTION, SOURCE_TOPIC, GROUP));

    /** The {@code to} and {@code dead-letter} mappings of a route. */
    public static final ConfigSection TO_SECTION = new ConfigSection("routes[].to",
            "Where a route delivers, and the shape of `routes[].dead-letter`: exactly one of these keys.",
            List.of(KAFKA_SINK, MQTT_SINK, HTTP_SINK, JDBC_SINK));

    /** The {@code kafka} mapping of a route's {@code to} or {@code dead-letter}. */
    public static final ConfigSection TO_KAFKA = new ConfigSection("routes[].to.kafka",
            "The Kafka record a route writes for each message.",
            List.of(CONNECTION, KAFKA_TOPIC, KEY, HEADERS));

    /** The {@code mqtt} mapping of a route's {@code to} or {@code dead-letter}. */
    public static final ConfigSection TO_MQTT = new ConfigSection("routes[].to.mqtt",
            "The MQTT message a route publishes into the broker for each message.",
            List.of(MQTT_TOPIC, QOS, RETAIN));

    /** The {@code http} mapping of a route's {@code to} or {@code dead-letter}. */
    public static final ConfigSection TO_HTTP = new ConfigSection("routes[].to.http",
            "The HTTP request a route makes for each message (a webhook); a 2xx answer is a delivery.",
            List.of(URL, METHOD, FORMAT, TIMEOUT, CONCURRENCY, HTTP_HEADERS, AUTH));

    /** The {@code auth} mapping of a webhook. */
    public static final ConfigSection HTTP_AUTH = new ConfigSection("routes[].to.http.auth",
            "The credentials of a webhook: exactly one of these keys.",
            List.of(BEARER, BASIC));

    /** The {@code auth.basic} mapping of a webhook. */
    public static final ConfigSection HTTP_BASIC = new ConfigSection("routes[].to.http.auth.basic",
            "A user name and the secret holding its password.",
            List.of(BASIC_USERNAME, BASIC_PASSWORD));

    /** The {@code jdbc} mapping of a route's {@code to} or {@code dead-letter}. */
    public static final ConfigSection TO_JDBC = new ConfigSection("routes[].to.jdbc",
            "The row a route writes for each message into a table of a `connections.jdbc` database.",
            List.of(JDBC_CONNECTION, TABLE, COLUMNS, BATCH, UPSERT_KEY, CREATE_TABLE));

    /** Each value of {@code columns} written as a mapping. */
    public static final ConfigSection JDBC_COLUMN = new ConfigSection("routes[].to.jdbc.columns.<name>",
            "One column written as a mapping, to give its type.",
            List.of(COLUMN_VALUE, COLUMN_TYPE));

    /** The {@code batch} mapping of a JDBC sink. */
    public static final ConfigSection JDBC_BATCH = new ConfigSection("routes[].to.jdbc.batch",
            "How a route gathers rows: a batch is written when it has `size` rows, or when its first row waited "
                    + "`time` (at once by default).",
            List.of(BATCH_SIZE, BATCH_TIME));

    /** The {@code retry} mapping of a route. */
    public static final ConfigSection RETRY_SECTION = new ConfigSection("routes[].retry",
            "How a route retries a failed delivery: waits grow from `initial-backoff` by `multiplier` up to "
                    + "`max-backoff`.",
            List.of(MAX_ATTEMPTS, INITIAL_BACKOFF, MULTIPLIER, MAX_BACKOFF));

    private RouteKeys() {
    }
}
