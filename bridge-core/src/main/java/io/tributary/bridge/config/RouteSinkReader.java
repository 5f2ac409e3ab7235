package io.tributary.bridge.config;

import io.tributary.bridge.mapping.Template;
import io.tributary.broker.QoS;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a route's {@code to} or {@code dead-letter}: a Kafka record or an MQTT message, or hands a webhook
 * or a SQL row to its reader.
 */
final class RouteSinkReader {

    /** What each variable stands for when a template is checked for characters its topic cannot have. */
    static final String SAMPLE_VALUE = "x";

    private final YamlNodeReader reader;
    private final ConnectionReferences connections;
    private final RouteTemplates templates;
    private final HttpSinkReader httpReader;
    private final JdbcSinkReader jdbcReader;

    /** @param secrets reads the credentials of webhooks */
    RouteSinkReader(YamlNodeReader reader, ConnectionReferences connections, RouteTemplates templates,
                    SecretReader secrets) {
        this.reader = reader;
        this.connections = connections;
        this.templates = templates;
        this.httpReader = new HttpSinkReader(reader, templates, secrets);
        this.jdbcReader = new JdbcSinkReader(reader, connections, templates);
    }

    /**
     * The sink a node describes; empty when it is invalid (reported).
     *
     * @param variables what its templates may use; empty when unknown, and then not checked
     */
    Optional<RouteSink> read(Node node, String path, Optional<RouteVariables> variables) {
        Optional<YamlMapping> found = reader.mapping(node, path, RouteKeys.TO_SECTION, reader.locate(node));
        Optional<ConfigKey<?>> kind = found.flatMap(to -> reader.exactlyOne(to, RouteKeys.TO_SECTION));
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping to = found.get();
        Node value = to.value(kind.get()).orElseThrow();
        String valuePath = to.pathOf(kind.get());
        if (kind.get() == RouteKeys.KAFKA_SINK) {
            return readKafka(value, valuePath, variables);
        }
        if (kind.get() == RouteKeys.MQTT_SINK) {
            return readMqtt(value, valuePath, variables);
        }
        return kind.get() == RouteKeys.HTTP_SINK
                ? httpReader.read(value, valuePath, variables)
                : jdbcReader.read(value, valuePath, variables);
    }

    private Optional<RouteSink> readKafka(Node node, String path, Optional<RouteVariables> variables) {
        int errorsBefore = reader.errors().count();
        Optional<YamlMapping> found = reader.mapping(node, path, RouteKeys.TO_KAFKA, reader.locate(node));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping kafka = found.get();
        Optional<String> connection = connections.kafka(kafka);
        Optional<Template> topic = templates.required(kafka, RouteKeys.KAFKA_TOPIC, variables);
        topic.ifPresent(t -> checkKafkaTopic(t, kafka));
        Optional<Template> key = templates.optional(kafka, RouteKeys.KEY, variables);
        // Kafka takes any header name.
        Optional<Map<String, Template>> headers = templates.named(kafka, RouteKeys.HEADERS, ValueTypes.text(),
                variables);
        if (reader.errors().count() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new RouteSink.Kafka(connection.orElseThrow(), topic.orElseThrow(), key,
                headers.orElseThrow()));
    }

    private Optional<RouteSink> readMqtt(Node node, String path, Optional<RouteVariables> variables) {
        int errorsBefore = reader.errors().count();
        Optional<YamlMapping> found = reader.mapping(node, path, RouteKeys.TO_MQTT, reader.locate(node));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping mqtt = found.get();
        Optional<Template> topic = templates.required(mqtt, RouteKeys.MQTT_TOPIC, variables);
        topic.ifPresent(t -> checkMqttTopic(t, mqtt));
        Optional<QoS> qos = reader.read(mqtt, RouteKeys.QOS);
        Optional<Boolean> retain = reader.read(mqtt, RouteKeys.RETAIN);
        if (reader.errors().count() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new RouteSink.Mqtt(topic.orElseThrow(), qos, retain.orElseThrow()));
    }

    /** A template's literal text must be valid in a Kafka topic name, whatever its variables become. */
    private void checkKafkaTopic(Template topic, YamlMapping kafka) {
        String sample = topic.render(name -> SAMPLE_VALUE);
        ValueType<String> topicName = ValueTypes.kafkaTopic();
        if (!topicName.accepts(sample)) {
            reader.report(kafka.value(RouteKeys.KAFKA_TOPIC).orElseThrow(), kafka.pathOf(RouteKeys.KAFKA_TOPIC),
                    "expected " + topicName.expected() + (topic.isConstant() ? "" : " (variables aside)")
                            + ", got '" + topic + "'");
        }
    }

    /** A message is published to a topic name, which cannot be empty or hold the wildcards of a filter. */
    private void checkMqttTopic(Template topic, YamlMapping mqtt) {
        String sample = topic.render(name -> SAMPLE_VALUE);
        if (sample.isEmpty() || sample.contains("+") || sample.contains("#")) {
            reader.report(mqtt.value(RouteKeys.MQTT_TOPIC).orElseThrow(), mqtt.pathOf(RouteKeys.MQTT_TOPIC),
                    "expected a topic to publish to, not empty and without the wildcards '+' and '#', got '"
                            + topic + "'");
        }
    }
}
