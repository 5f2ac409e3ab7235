package io.tributary.bridge.config;

import io.tributary.bridge.mapping.Template;
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
        return reader.section(node, path, RouteKeys.TO_SECTION, to -> {
            Optional<RouteSink> sink = reader.exactlyOne(to.mapping(), RouteKeys.TO_SECTION).flatMap(kind -> {
                Node value = to.node(kind).orElseThrow();
                String valuePath = to.pathOf(kind);
                if (kind == RouteKeys.KAFKA_SINK) {
                    return readKafka(value, valuePath, variables);
                }
                if (kind == RouteKeys.MQTT_SINK) {
                    return readMqtt(value, valuePath, variables);
                }
                return kind == RouteKeys.HTTP_SINK
                        ? httpReader.read(value, valuePath, variables)
                        : jdbcReader.read(value, valuePath, variables);
            });
            return sink::orElseThrow;
        });
    }

    private Optional<RouteSink> readKafka(Node node, String path, Optional<RouteVariables> variables) {
        return reader.section(node, path, RouteKeys.TO_KAFKA, kafka -> {
            Optional<String> connection = connections.kafka(kafka);
            Optional<Template> topic = templates.required(kafka.mapping(), RouteKeys.KAFKA_TOPIC, variables);
            topic.ifPresent(t -> checkKafkaTopic(t, kafka));
            Optional<Template> key = templates.optional(kafka.mapping(), RouteKeys.KEY, variables);
            // Kafka takes any header name.
            Optional<Map<String, Template>> headers = templates.named(kafka.mapping(), RouteKeys.HEADERS,
                    ValueTypes.text(), variables);
            return () -> new RouteSink.Kafka(connection.orElseThrow(), topic.orElseThrow(), key,
                    headers.orElseThrow());
        });
    }

    private Optional<RouteSink> readMqtt(Node node, String path, Optional<RouteVariables> variables) {
        return reader.section(node, path, RouteKeys.TO_MQTT, mqtt -> {
            Optional<Template> topic = templates.required(mqtt.mapping(), RouteKeys.MQTT_TOPIC, variables);
            topic.ifPresent(t -> checkMqttTopic(t, mqtt));
            return () -> new RouteSink.Mqtt(topic.orElseThrow(), mqtt.optional(RouteKeys.QOS),
                    mqtt.get(RouteKeys.RETAIN));
        });
    }

    /** A template's literal text must be valid in a Kafka topic name, whatever its variables become. */
    private void checkKafkaTopic(Template topic, SectionValues kafka) {
        String sample = topic.render(name -> SAMPLE_VALUE);
        ValueType<String> topicName = ValueTypes.kafkaTopic();
        if (!topicName.accepts(sample)) {
            kafka.report(RouteKeys.KAFKA_TOPIC, "expected " + topicName.expected()
                    + (topic.isConstant() ? "" : " (variables aside)")
                            + ", got '" + topic + "'");
        }
    }

    /** A message is published to a topic name, which cannot be empty or hold the wildcards of a filter. */
    private void checkMqttTopic(Template topic, SectionValues mqtt) {
        String sample = topic.render(name -> SAMPLE_VALUE);
        if (sample.isEmpty() || sample.contains("+") || sample.contains("#")) {
            mqtt.report(RouteKeys.MQTT_TOPIC, "expected a topic to publish to, not empty and without the "
                    + "wildcards '+' and '#', got '"
                            + topic + "'");
        }
    }
}
