package io.tributary.bridge.config;

import static io.tributary.bridge.config.RouteKeys.AUTH;
import static io.tributary.bridge.config.RouteKeys.BASIC;
import static io.tributary.bridge.config.RouteKeys.BASIC_PASSWORD;
import static io.tributary.bridge.config.RouteKeys.BASIC_USERNAME;
import static io.tributary.bridge.config.RouteKeys.BATCH;
import static io.tributary.bridge.config.RouteKeys.BATCH_SIZE;
import static io.tributary.bridge.config.RouteKeys.BATCH_TIME;
import static io.tributary.bridge.config.RouteKeys.BEARER;
import static io.tributary.bridge.config.RouteKeys.COLUMNS;
import static io.tributary.bridge.config.RouteKeys.COLUMN_TYPE;
import static io.tributary.bridge.config.RouteKeys.COLUMN_VALUE;
import static io.tributary.bridge.config.RouteKeys.CONCURRENCY;
import static io.tributary.bridge.config.RouteKeys.CREATE_TABLE;
import static io.tributary.bridge.config.RouteKeys.FORMAT;
import static io.tributary.bridge.config.RouteKeys.HTTP_HEADERS;
import static io.tributary.bridge.config.RouteKeys.METHOD;
import static io.tributary.bridge.config.RouteKeys.TABLE;
import static io.tributary.bridge.config.RouteKeys.TIMEOUT;
import static io.tributary.bridge.config.RouteKeys.UPSERT_KEY;
import static io.tributary.bridge.config.RouteKeys.URL;

import io.tributary.bridge.mapping.Template;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads a route's {@code to} or {@code dead-letter}: a Kafka record, an MQTT message, a webhook with its
 * credentials, or a SQL row with its columns.
 */
final class RouteSinkReader {

    /** What each variable stands for when a template is checked for characters its topic cannot have. */
    private static final String SAMPLE_VALUE = "x";
    private static final String OTHER_SAMPLE_VALUE = "y";

    private static final List<String> SCHEMES = List.of("http://", "https://");

    /** A column as written, before its name is known to be valid. */
    private record ColumnValue(Template value, RouteSink.ColumnType type) {
    }

    private final YamlNodeReader reader;
    private final ConnectionReferences connections;
    private final SecretReader secrets;

    /** @param secrets reads the credentials of webhooks */
    RouteSinkReader(YamlNodeReader reader, ConnectionReferences connections, SecretReader secrets) {
        this.reader = reader;
        this.connections = connections;
        this.secrets = secrets;
    }

    /** The sink a node describes, its templates read by {@code templates}; empty when it is invalid (reported). */
    Optional<RouteSink> read(Node node, String path, RouteTemplates templates) {
        return reader.section(node, path, RouteKeys.TO_SECTION, to -> {
            Optional<RouteSink> sink = reader.exactlyOne(to.mapping(), RouteKeys.TO_SECTION).flatMap(kind ->
                    reader.optional(to.mapping(), kind, (value, valuePath) ->
                            kind == RouteKeys.KAFKA_SINK ? readKafka(value, valuePath, templates)
                            : kind == RouteKeys.MQTT_SINK ? readMqtt(value, valuePath, templates)
                            : kind == RouteKeys.HTTP_SINK ? readHttp(value, valuePath, templates)
                            : readJdbc(value, valuePath, templates)));
            return sink::orElseThrow;
        });
    }

    private Optional<RouteSink> readKafka(Node node, String path, RouteTemplates templates) {
        return reader.section(node, path, RouteKeys.TO_KAFKA, kafka -> {
            Optional<String> connection = connections.kafka(kafka);
            Optional<Template> topic = reader.required(kafka.mapping(), RouteKeys.KAFKA_TOPIC, templates::template);
            topic.ifPresent(t -> checkKafkaTopic(t, kafka));
            Optional<Template> key = reader.optional(kafka.mapping(), RouteKeys.KEY, templates::template);
            // Kafka takes any header name.
            Optional<Map<String, Template>> headers = templates.named(kafka.mapping(), RouteKeys.HEADERS,
                    ValueTypes.text());
            return () -> new RouteSink.Kafka(connection.orElseThrow(), topic.orElseThrow(), key,
                    headers.orElseThrow());
        });
    }

    private Optional<RouteSink> readMqtt(Node node, String path, RouteTemplates templates) {
        return reader.section(node, path, RouteKeys.TO_MQTT, mqtt -> {
            boolean external = mqtt.has(RouteKeys.MQTT_SINK_CONNECTION);
            Optional<String> connection = external
                    ? connections.mqtt(mqtt, RouteKeys.MQTT_SINK_CONNECTION) : Optional.empty();
            Optional<Template> topic = reader.required(mqtt.mapping(), RouteKeys.MQTT_TOPIC, templates::template);
            topic.ifPresent(t -> checkMqttTopic(t, mqtt));
            // An unknown connection is reported, and then the section is not built.
            return () -> new RouteSink.Mqtt(connection, topic.orElseThrow(), mqtt.optional(RouteKeys.QOS), mqtt.get(RouteKeys.RETAIN));
        });
    }

    /** A template's literal text must be valid in a Kafka topic name, whatever its variables become. */
    private void checkKafkaTopic(Template topic, SectionValues kafka) {
        String sample = topic.render(name -> SAMPLE_VALUE);
        ValueType<String> topicName = ValueTypes.kafkaTopic();
        if (!topicName.accepts(sample)) {
            kafka.report(RouteKeys.KAFKA_TOPIC, "expected " + topicName.expected()
                    + (topic.isConstant() ? "" : " (variables aside)") + ", got '" + topic + "'");
        }
    }

    /** A message is published to a topic name, which cannot be empty or hold the wildcards of a filter. */
    private void checkMqttTopic(Template topic, SectionValues mqtt) {
        String sample = topic.render(name -> SAMPLE_VALUE);
        if (sample.isEmpty() || sample.contains("+") || sample.contains("#")) {
            mqtt.report(RouteKeys.MQTT_TOPIC, "expected a topic to publish to, not empty and without the "
                    + "wildcards '+' and '#', got '" + topic + "'");
        }
    }

    /** A webhook, and its credentials. */
    private Optional<RouteSink> readHttp(Node node, String path, RouteTemplates templates) {
        return reader.section(node, path, RouteKeys.TO_HTTP, http -> {
            Optional<Template> url = reader.required(http.mapping(), URL, templates::template);
            url.ifPresent(u -> checkUrl(u, http));
            Optional<Map<String, Template>> headers = templates.named(http.mapping(), HTTP_HEADERS,
                    ValueTypes.httpHeaderName());
            // Absent is no credentials; present but invalid is an error, counted by the section.
            Optional<HttpAuth> auth = reader.optional(http.mapping(), AUTH, this::readAuth);
            return () -> new RouteSink.Http(url.orElseThrow(), http.get(METHOD), http.get(FORMAT), http.get(TIMEOUT),
                    http.get(CONCURRENCY), headers.orElseThrow(), auth);
        });
    }

    private Optional<HttpAuth> readAuth(Node node, String path) {
        return reader.section(node, path, RouteKeys.HTTP_AUTH, auth -> {
            Optional<HttpAuth> read = reader.exactlyOne(auth.mapping(), RouteKeys.HTTP_AUTH).flatMap(kind ->
                    kind == BEARER ? reader.optional(auth.mapping(), BEARER, secrets::read).map(HttpAuth.Bearer::new)
                            : reader.optional(auth.mapping(), BASIC, this::readBasic));
            return read::orElseThrow;
        });
    }

    private Optional<HttpAuth> readBasic(Node node, String path) {
        return reader.section(node, path, RouteKeys.HTTP_BASIC, basic -> {
            Optional<Secret> password = reader.required(basic.mapping(), BASIC_PASSWORD, secrets::read);
            return () -> new HttpAuth.Basic(basic.get(BASIC_USERNAME), password.orElseThrow());
        });
    }

    /**
     * The URL's literal start must be the scheme and no variable may be in its host or port, so that no message
     * can send it elsewhere, and the rest must make a URL with a host whatever its variables become. A user and password in it would be a secret
     * written in the configuration.
     */
    private void checkUrl(Template url, SectionValues http) {
        String text = url.toString();
        boolean scheme = SCHEMES.stream().anyMatch(s -> text.regionMatches(true, 0, s, 0, s.length()));
        // The authority rather than the host, which java.net.URI leaves out for names such as my_service.
        Optional<String> authority = parse(url.render(name -> SAMPLE_VALUE)).map(URI::getRawAuthority);
        if (!scheme || authority.isEmpty()) {
            http.report(URL, "expected an http:// or https:// URL with a host"
                    + (url.isConstant() ? "" : " (variables aside)") + ", got '" + url + "'");
        } else if (!authority.equals(parse(url.render(name -> OTHER_SAMPLE_VALUE)).map(URI::getRawAuthority))) {
            http.report(URL, "a variable cannot be in the host or port of a webhook URL, so that no message can "
                    + "choose where it is sent: put variables in the path or query, got '" + url + "'");
        } else if (authority.get().contains("@")) {
            http.report(URL, "a secret is never written in the configuration: give the user "
                    + "and password as auth: { basic: { username: NAME, password: { env: NAME } } }");
        }
    }

    private static Optional<URI> parse(String url) {
        try {
            return Optional.of(new URI(url));
        } catch (URISyntaxException malformed) {
            return Optional.empty();
        }
    }

    /** A SQL sink, with its columns. */
    private Optional<RouteSink> readJdbc(Node node, String path, RouteTemplates templates) {
        return reader.section(node, path, RouteKeys.TO_JDBC, jdbc -> {
            Optional<String> connection = connections.jdbc(jdbc);
            Optional<List<RouteSink.Column>> columns = reader.required(jdbc.mapping(), COLUMNS,
                    (n, p) -> readColumns(n, p, templates));
            // Absent, it is an empty mapping: every key at its default.
            Optional<SectionValues> batch = reader.section(jdbc.node(BATCH).orElse(null), jdbc.pathOf(BATCH),
                    RouteKeys.JDBC_BATCH, jdbc.mapping().location(), values -> () -> values);
            // Without valid columns there is nothing to check the key against: that is one error, not more.
            Optional<List<String>> upsertKey = columns.flatMap(c -> readUpsertKey(jdbc.mapping(), c));
            return () -> new RouteSink.Jdbc(connection.orElseThrow(), jdbc.get(TABLE), columns.orElseThrow(),
                    batch.orElseThrow().get(BATCH_SIZE), batch.orElseThrow().get(BATCH_TIME), upsertKey.orElseThrow(),
                    jdbc.get(CREATE_TABLE));
        });
    }

    private Optional<List<RouteSink.Column>> readColumns(Node node, String path, RouteTemplates templates) {
        // SQL folds unquoted names to one case, so 'Site' and 'site' would be the same column.
        Map<String, YamlNodeReader.Entry> byFoldedName = new LinkedHashMap<>();
        Optional<Map<String, RouteSink.Column>> columns = reader.entries(node, path, COLUMNS.type().expected(),
                (entry, columnPath) -> {
                    Optional<String> name = reader.key(entry, columnPath, ValueTypes.sqlName());
                    YamlNodeReader.Entry first = name.isEmpty() ? null
                            : byFoldedName.putIfAbsent(name.get().toLowerCase(Locale.ROOT), entry);
                    if (first != null) {
                        reader.report(entry.keyNode(), columnPath, "column '" + entry.key() + "' is the same SQL "
                                + "name as '" + first.key() + "' (line " + reader.locate(first.keyNode()).line()
                                + "): SQL ignores case");
                        name = Optional.empty();
                    }
                    Optional<ColumnValue> value = readColumn(entry.value(), columnPath, templates);
                    return name.flatMap(n -> value.map(v -> new RouteSink.Column(n, v.value(), v.type())));
                });
        if (columns.isPresent() && columns.get().isEmpty()) {
            reader.report(node, path, "expected at least one column, got none");
            return Optional.empty();
        }
        return columns.map(c -> List.copyOf(c.values()));
    }

    /** A column's value and type; a template alone is a text column. */
    private Optional<ColumnValue> readColumn(Node node, String path, RouteTemplates templates) {
        if (node instanceof ScalarNode || RouteTemplates.isUnquotedVariable(node)) {
            return templates.template(node, path).map(t -> new ColumnValue(t, COLUMN_TYPE.defaultValue()));
        }
        return reader.section(node, path, RouteKeys.JDBC_COLUMN, column -> {
            Optional<Template> value = reader.required(column.mapping(), COLUMN_VALUE, templates::template);
            return () -> new ColumnValue(value.orElseThrow(), column.get(COLUMN_TYPE));
        });
    }

    /** The upsert key: column names, each once; none when absent. */
    private Optional<List<String>> readUpsertKey(YamlMapping jdbc, List<RouteSink.Column> columns) {
        List<String> names = columns.stream().map(RouteSink.Column::name).toList();
        List<String> key = new ArrayList<>();
        return reader.items(jdbc, UPSERT_KEY, List.of(), null, (item, itemPath) -> {
            Optional<String> name = reader.scalar(item, itemPath, ValueTypes.sqlName());
            if (name.isPresent() && !names.contains(name.get())) {
                String hint = Suggestions.closest(name.get(), names).map(s -> " (did you mean '" + s + "'?)")
                        .orElse("");
                reader.report(item, itemPath, "'" + name.get() + "' is not a column" + hint + "; columns: "
                        + String.join(", ", names));
                name = Optional.empty();
            } else if (name.isPresent() && key.contains(name.get())) {
                reader.report(item, itemPath, "'" + name.get() + "' is already in the upsert key");
                name = Optional.empty();
            }
            name.ifPresent(key::add);
            return name;
        });
    }
}
