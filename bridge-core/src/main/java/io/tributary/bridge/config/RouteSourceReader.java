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
        return reader.requiredNode(route, RouteKeys.FROM).flatMap(node -> reader.section(node,
                route.pathOf(RouteKeys.FROM), RouteKeys.FROM_SECTION, from -> {
                    Optional<ConfigKey<?>> kind = reader.exactlyOne(from.mapping(), RouteKeys.FROM_SECTION);
                    Optional<RouteSource> kafka = kind.filter(k -> k == RouteKeys.KAFKA_SOURCE).flatMap(k ->
                            readKafka(from.node(k).orElseThrow(), from.pathOf(k), routeName));
                    return () -> kind.orElseThrow() == RouteKeys.MQTT_SOURCE
                            ? new RouteSource.Mqtt(from.get(RouteKeys.MQTT_SOURCE)) : kafka.orElseThrow();
                }));
    }

    private Optional<RouteSource> readKafka(Node node, String path, Optional<String> routeName) {
        return reader.section(node, path, RouteKeys.FROM_KAFKA, kafka -> {
            Optional<String> connection = connections.kafka(kafka);
            Optional<String> group = kafka.optional(RouteKeys.GROUP).or(() -> routeName.map(n -> GROUP_PREFIX + n));
            return () -> new RouteSource.Kafka(connection.orElseThrow(), kafka.get(RouteKeys.SOURCE_TOPIC),
                    group.orElseThrow());
        });
    }
}
