package io.tributary.bridge.config;

import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads a route's {@code from}: an MQTT topic filter or a Kafka topic. */
final class RouteSourceReader {

    /** The consumer group of a Kafka source without {@code group}: this and the route's name. */
    static final String GROUP_PREFIX = "tributary-";

    private final YamlNodeReader reader;
    private final ConnectionReferences connections;

    RouteSourceReader(YamlNodeReader reader, ConnectionReferences connections) {
        this.reader = reader;
        this.connections = connections;
    }

    /**
     * The source of {@code route}; empty when it is absent or invalid (reported).
     *
     * @param routeName the route's name, which the default consumer group is made from
     */
    Optional<RouteSource> read(YamlMapping route, Optional<String> routeName) {
        Optional<YamlMapping> from = reader.requiredNode(route, RouteKeys.FROM).flatMap(node ->
                reader.mapping(node, route.pathOf(RouteKeys.FROM), RouteKeys.FROM_SECTION, reader.locate(node)));
        if (from.isEmpty()) {
            return Optional.empty();
        }
        Optional<ConfigKey<?>> kind = reader.exactlyOne(from.get(), RouteKeys.FROM_SECTION);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        if (kind.get() == RouteKeys.MQTT_SOURCE) {
            return reader.read(from.get(), RouteKeys.MQTT_SOURCE).map(RouteSource.Mqtt::new);
        }
        Node kafka = from.get().value(RouteKeys.KAFKA_SOURCE).orElseThrow();
        return readKafka(kafka, from.get().pathOf(RouteKeys.KAFKA_SOURCE), routeName);
    }

    private Optional<RouteSource> readKafka(Node node, String path, Optional<String> routeName) {
        Optional<YamlMapping> found = reader.mapping(node, path, RouteKeys.FROM_KAFKA, reader.locate(node));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping kafka = found.get();
        Optional<String> connection = connections.kafka(kafka);
        Optional<String> topic = reader.required(kafka, RouteKeys.SOURCE_TOPIC);
        Optional<String> group = kafka.has(RouteKeys.GROUP)
                ? reader.read(kafka, RouteKeys.GROUP)
                : routeName.map(name -> GROUP_PREFIX + name);
        return connection.flatMap(c -> topic.flatMap(t -> group.map(g -> new RouteSource.Kafka(c, t, g))));
    }
}
