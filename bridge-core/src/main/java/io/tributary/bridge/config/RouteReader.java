package io.tributary.bridge.config;

import static io.tributary.bridge.config.RouteKeys.INITIAL_BACKOFF;
import static io.tributary.bridge.config.RouteKeys.MAX_ATTEMPTS;
import static io.tributary.bridge.config.RouteKeys.MAX_BACKOFF;
import static io.tributary.bridge.config.RouteKeys.MULTIPLIER;

import io.tributary.bridge.mapping.Condition;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code routes}: each route's name, source, sink, condition, retry and dead-letter destination, then that
 * no two routes share a name. Every key holding one value is read by its declaration.
 */
final class RouteReader {

    /** The consumer group of a Kafka source without {@code group}: this and the route's name. */
    static final String GROUP_PREFIX = "tributary-";

    /** A route read without error, with the mapping it came from for later errors' locations. */
    private record ReadRoute(RouteSettings settings, YamlMapping mapping) {
    }

    private final YamlNodeReader reader;
    private final ConnectionReferences connections;
    private final RouteSinkReader sinkReader;

    /**
     * @param files resolves the files of webhooks' secrets against the configuration file's folder
     * @param kafkaConnections the names under {@code connections.kafka}, which routes may refer to
     * @param jdbcConnections the names under {@code connections.jdbc}, which routes may refer to
     * @param mqttConnections the names under {@code connections.mqtt}, which routes may read from
     */
    RouteReader(YamlNodeReader reader, FileValues files, Set<String> kafkaConnections, Set<String> jdbcConnections,
                Set<String> mqttConnections) {
        this.reader = reader;
        this.connections = new ConnectionReferences(kafkaConnections, jdbcConnections, mqttConnections);
        this.sinkReader = new RouteSinkReader(reader, connections, new SecretReader(reader, files));
    }

    /** The routes of the top-level mapping, none when the key is absent; empty when any is invalid. */
    Optional<List<RouteSettings>> readAll(YamlMapping top) {
        Map<String, ReadRoute> byName = new HashMap<>();
        Optional<List<ReadRoute>> routes = reader.items(top, ConfigSchema.ROUTES, List.of(), null,
                // Names are compared among valid routes only, so that one broken route is one error.
                (node, path) -> read(node, path).filter(route -> unique(route, byName)));
        return routes.filter(read -> noOverlaps(read) & noLoops(read))
                .map(read -> read.stream().map(ReadRoute::settings).toList());
    }

    /** Whether no two routes read one connection through overlapping subscriptions ({@link RouteOverlaps}). */
    private boolean noOverlaps(List<ReadRoute> routes) {
        List<RouteOverlaps.Overlap> overlaps = RouteOverlaps.find(routes.stream().map(ReadRoute::settings).toList());
        for (RouteOverlaps.Overlap overlap : overlaps) {
            YamlMapping second = routes.stream().filter(r -> r.settings() == overlap.second()).findFirst()
                    .orElseThrow().mapping();
            reader.report(second.value(RouteKeys.FROM).orElseThrow(), second.pathOf(RouteKeys.FROM),
                    overlap.describe());
        }
        return overlaps.isEmpty();
    }

    /** Whether no routes send messages in a circle ({@link RouteLoops}); each circle reported at its first route. */
    private boolean noLoops(List<ReadRoute> routes) {
        List<RouteLoops.Loop> loops = RouteLoops.find(routes.stream().map(ReadRoute::settings).toList());
        for (RouteLoops.Loop loop : loops) {
            YamlMapping first = routes.stream().filter(r -> r.settings().name().equals(loop.routes().get(0)))
                    .findFirst().orElseThrow().mapping();
            reader.report(first.value(RouteKeys.FROM).orElseThrow(), first.pathOf(RouteKeys.FROM), loop.describe());
        }
        return loops.isEmpty();
    }

    private boolean unique(ReadRoute route, Map<String, ReadRoute> byName) {
        ReadRoute first = byName.putIfAbsent(route.settings().name(), route);
        if (first == null) {
            return true;
        }
        YamlMapping mapping = route.mapping();
        reader.report(mapping.value(RouteKeys.NAME).orElseThrow(), mapping.pathOf(RouteKeys.NAME),
                "name '" + route.settings().name() + "' is already used by " + first.mapping().path() + " (line "
                        + first.mapping().location().line() + "); give each route a unique name");
        return false;
    }

    /** The route of {@code node}; empty when anything in it is invalid, each problem reported. */
    private Optional<ReadRoute> read(Node node, String path) {
        return reader.section(node, path, RouteKeys.ROUTE, values -> {
            YamlMapping route = values.mapping();
            Optional<String> name = values.optional(RouteKeys.NAME);
            Optional<RouteSource> from = reader.required(route, RouteKeys.FROM, (n, p) -> readSource(n, p, name));
            RouteTemplates templates = new RouteTemplates(reader, from.map(RouteVariables::of));
            Optional<RouteSink> to = reader.required(route, RouteKeys.TO, (n, p) -> sinkReader.read(n, p, templates));
            Optional<Condition> condition = templates.condition(route);
            Optional<RetrySettings> retry = route.has(RouteKeys.RETRY)
                    ? reader.optional(route, RouteKeys.RETRY, this::readRetry) : Optional.of(RetrySettings.defaults());
            Optional<RouteSink> deadLetter = reader.optional(route, RouteKeys.DEAD_LETTER,
                    (n, p) -> sinkReader.read(n, p, templates.forDeadLetter()));
            Optional<AckMode> ack = values.optional(RouteKeys.ACK);
            Optional<BufferSettings> buffer = route.has(RouteKeys.BUFFER)
                    ? reader.optional(route, RouteKeys.BUFFER, this::readBuffer) : Optional.of(BufferSettings.defaults());
            if (ack.equals(Optional.of(AckMode.BUFFER)) && from.isPresent()
                    && from.get() instanceof RouteSource.ExternalMqtt) {
                values.report(RouteKeys.ACK, "ack: buffer is not yet supported for a route from an external broker "
                        + "(from.mqtt.connection); remove ack: the external broker keeps each message until the sink "
                        + "has it");
            } else if (ack.equals(Optional.of(AckMode.BUFFER)) && from.isPresent()
                    && !(from.get() instanceof RouteSource.Mqtt)) {
                values.report(RouteKeys.ACK, "ack: buffer needs an mqtt source; a Kafka record is committed only "
                        + "after its delivery, so it needs no buffer: remove ack or read from mqtt");
            } else if (ack.equals(Optional.of(AckMode.SINK)) && route.has(RouteKeys.BUFFER)) {
                values.report(RouteKeys.BUFFER, "buffer applies only with ack: buffer; add ack: buffer or remove "
                        + "buffer");
            }
            return () -> new ReadRoute(new RouteSettings(name.orElseThrow(), from.orElseThrow(), to.orElseThrow(),
                    condition, retry.orElseThrow(), deadLetter, route.location(), ack.orElseThrow(), buffer.orElseThrow()), route);
        });
    }

    /**
     * A route's {@code from}: an MQTT topic filter, an external MQTT broker's topics or a Kafka topic.
     *
     * @param routeName the route's name, which the default consumer group is made from
     */
    private Optional<RouteSource> readSource(Node node, String path, Optional<String> routeName) {
        return reader.section(node, path, RouteKeys.FROM_SECTION, from -> {
            Optional<ConfigKey<?>> kind = reader.exactlyOne(from.mapping(), RouteKeys.FROM_SECTION);
            Optional<RouteSource> mqtt = kind.filter(k -> k == RouteKeys.MQTT_SOURCE).flatMap(k ->
                    readMqttSource(from.node(k).orElseThrow(), from.pathOf(k)));
            Optional<RouteSource> kafka = kind.filter(k -> k == RouteKeys.KAFKA_SOURCE).flatMap(k ->
                    reader.section(from.node(k).orElseThrow(), from.pathOf(k), RouteKeys.FROM_KAFKA, values -> {
                        Optional<String> connection = connections.kafka(values);
                        Optional<String> group = values.optional(RouteKeys.GROUP)
                                .or(() -> routeName.map(n -> GROUP_PREFIX + n));
                        return () -> new RouteSource.Kafka(connection.orElseThrow(),
                                values.get(RouteKeys.SOURCE_TOPIC), group.orElseThrow());
                    }));
            return () -> kind.orElseThrow() == RouteKeys.MQTT_SOURCE ? mqtt.orElseThrow() : kafka.orElseThrow();
        });
    }

    /**
     * A route's {@code from.mqtt}: a topic filter of the built-in broker, or a mapping that may name an external
     * broker ({@code connection}), which alone takes {@code qos} and {@code shared-group}.
     */
    private Optional<RouteSource> readMqttSource(Node node, String path) {
        if (YamlNodeReader.isValue(node)) {
            return reader.scalar(node, path, ValueTypes.topicPattern()).map(RouteSource.Mqtt::new);
        }
        return reader.section(node, path, RouteKeys.FROM_MQTT, values -> {
            boolean external = values.has(RouteKeys.MQTT_CONNECTION);
            Optional<String> connection = external ? connections.mqtt(values) : Optional.empty();
            for (ConfigKey<?> key : List.of(RouteKeys.SOURCE_QOS, RouteKeys.SHARED_GROUP)) {
                if (!external && values.has(key)) {
                    values.report(key, key.name() + " is only for an external broker (with connection); the "
                            + "built-in broker hands a route every message at the QoS it was published with");
                }
            }
            if (values.optional(RouteKeys.MQTT_SOURCE_TOPIC).filter(t -> t.mqttFilter().startsWith("$share/"))
                    .isPresent()) {
                values.report(RouteKeys.MQTT_SOURCE_TOPIC, "write the topic without $share/GROUP/ and give the "
                        + "group as shared-group");
            }
            return () -> external
                    ? new RouteSource.ExternalMqtt(connection.orElseThrow(), values.get(RouteKeys.MQTT_SOURCE_TOPIC),
                            values.get(RouteKeys.SOURCE_QOS), values.optional(RouteKeys.SHARED_GROUP))
                    : new RouteSource.Mqtt(values.get(RouteKeys.MQTT_SOURCE_TOPIC));
        });
    }

    /** A route's {@code buffer}: its keys by their declaration. */
    private Optional<BufferSettings> readBuffer(Node node, String path) {
        return reader.section(node, path, RouteKeys.BUFFER_SECTION, buffer -> () -> new BufferSettings(
                buffer.get(RouteKeys.BUFFER_MAX_MESSAGES), buffer.get(RouteKeys.BUFFER_MAX_BYTES),
                buffer.get(RouteKeys.BUFFER_MAX_AGE), buffer.get(RouteKeys.BUFFER_WHEN_FULL),
                buffer.get(RouteKeys.BUFFER_UNREADY_AT), buffer.get(RouteKeys.BUFFER_PUBLISHER_WINDOW)));
    }

    /** A route's {@code retry}: its keys by their declaration, then that the waits are in order. */
    private Optional<RetrySettings> readRetry(Node node, String path) {
        return reader.section(node, path, RouteKeys.RETRY_SECTION, retry -> {
            Optional<Duration> initial = retry.optional(INITIAL_BACKOFF);
            Optional<Duration> max = retry.optional(MAX_BACKOFF);
            if (initial.isPresent() && max.isPresent() && initial.get().compareTo(max.get()) > 0) {
                // Reported at the key given, so that the message points at the value to change.
                retry.report(retry.has(MAX_BACKOFF) ? MAX_BACKOFF : INITIAL_BACKOFF, "max-backoff "
                        + MAX_BACKOFF.type().format(max.get()) + " is shorter than initial-backoff "
                        + INITIAL_BACKOFF.type().format(initial.get()));
            }
            return () -> new RetrySettings(retry.get(MAX_ATTEMPTS), initial.orElseThrow(), retry.get(MULTIPLIER),
                    max.orElseThrow());
        });
    }
}
