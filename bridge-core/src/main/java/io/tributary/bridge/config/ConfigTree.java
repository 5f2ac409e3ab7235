package io.tributary.bridge.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where each {@link ConfigSection} sits in a file: under which key, and whether as one mapping, as the items of
 * a list or as the entries of a mapping of names. {@link OverrideTargets} walks a file along this tree to find
 * every scalar that an environment variable can set.
 */
final class ConfigTree {

    /** What a key holds. */
    sealed interface Shape permits Value, Mapping, ValueOrMapping, Items, Entries {
    }

    /** One scalar. */
    record Value() implements Shape {
    }

    /**
     * A mapping of {@code section}'s keys. Each scalar key holds a {@link Value}; {@code structures} gives the
     * shape of the other keys that hold scalars an override can reach. The rest hold none: secrets (where a
     * secret is read from is no setting to override) and the list of tokens.
     */
    record Mapping(ConfigSection section, Map<ConfigKey<?>, Shape> structures) implements Shape {

        /** What {@code key} holds, when an override can reach into it. */
        Optional<Shape> shapeOf(ConfigKey<?> key) {
            return key.type().isScalar() ? Optional.of(VALUE) : Optional.ofNullable(structures.get(key));
        }
    }

    /** An entry written as one scalar, short for a mapping ({@code main: embedded}), or as the mapping. */
    record ValueOrMapping(Mapping mapping) implements Shape {
    }

    /**
     * The items of a list, each known by the value of its {@code nameKey} or, without one, by its index.
     *
     * @param noun what an item is called in errors: {@code route}
     */
    record Items(Shape item, Optional<ConfigKey<String>> nameKey, String noun) implements Shape {
    }

    /**
     * The entries of a mapping whose keys are names chosen in the file, such as connections or headers.
     *
     * @param noun what an entry is called in errors: {@code Kafka connection}
     */
    record Entries(Shape entry, String noun) implements Shape {
    }

    /** A mapping, list or mapping of names, and its documented path: {@code routes[].to.kafka.headers}. */
    record Placed(String path, Shape shape) {
    }

    static final Value VALUE = new Value();

    private static final Mapping SINK = mapping(RouteKeys.TO_SECTION, Map.of(
            RouteKeys.KAFKA_SINK, mapping(RouteKeys.TO_KAFKA, Map.of(
                    RouteKeys.HEADERS, new Entries(VALUE, "header"))),
            RouteKeys.MQTT_SINK, mapping(RouteKeys.TO_MQTT),
            RouteKeys.HTTP_SINK, mapping(RouteKeys.TO_HTTP, Map.of(
                    RouteKeys.HTTP_HEADERS, new Entries(VALUE, "header"),
                    RouteKeys.AUTH, mapping(RouteKeys.HTTP_AUTH, Map.of(
                            RouteKeys.BASIC, mapping(RouteKeys.HTTP_BASIC))))),
            RouteKeys.JDBC_SINK, mapping(RouteKeys.TO_JDBC, Map.of(
                    RouteKeys.COLUMNS, new Entries(new ValueOrMapping(mapping(RouteKeys.JDBC_COLUMN)),
                            "column"),
                    RouteKeys.BATCH, mapping(RouteKeys.JDBC_BATCH),
                    RouteKeys.UPSERT_KEY, byIndex(VALUE, "upsert-key column")))));

    private static final Mapping ROUTE = mapping(RouteKeys.ROUTE, Map.of(
            RouteKeys.FROM, mapping(RouteKeys.FROM_SECTION, Map.of(
                    RouteKeys.KAFKA_SOURCE, mapping(RouteKeys.FROM_KAFKA))),
            RouteKeys.TO, SINK,
            RouteKeys.RETRY, mapping(RouteKeys.RETRY_SECTION),
            RouteKeys.DEAD_LETTER, SINK));

    private static final Mapping KAFKA_CONNECTION = mapping(ConnectionKeys.KAFKA_CONNECTION, Map.of(
            ConnectionKeys.PROPERTIES, new Entries(VALUE, "property")));

    /** The whole file. */
    static final Mapping ROOT = mapping(ConfigSchema.ROOT, Map.of(
            ConfigSchema.BROKER, mapping(BrokerKeys.BROKER, Map.of(
                    BrokerKeys.LISTENERS, byIndex(mapping(BrokerKeys.LISTENER, Map.of(
                            BrokerKeys.LISTENER_TLS, mapping(BrokerKeys.TLS))), "listener"))),
            ConfigSchema.CONNECTIONS, mapping(ConnectionKeys.CONNECTIONS, Map.of(
                    ConnectionKeys.KAFKA, new Entries(new ValueOrMapping(KAFKA_CONNECTION), "Kafka connection"),
                    ConnectionKeys.JDBC, new Entries(new ValueOrMapping(mapping(ConnectionKeys.JDBC_CONNECTION)),
                            "SQL connection"))),
            ConfigSchema.ROUTES, new Items(ROUTE, Optional.of(RouteKeys.NAME), "route"),
            ConfigSchema.CAMEL_ROUTES, byIndex(VALUE, "file"),
            ConfigSchema.HTTP_API, mapping(HttpApiKeys.HTTP_API)));

    private ConfigTree() {
    }

    /**
     * Every mapping, list and mapping of names below the top level, in file order, each once: a sink at its
     * place under {@code to}, not again under {@code dead-letter}.
     */
    static List<Placed> placed() {
        List<Placed> placed = new ArrayList<>();
        place("", ROOT, Collections.newSetFromMap(new IdentityHashMap<>()), placed);
        return placed.subList(1, placed.size());
    }

    private static void place(String path, Shape shape, Set<Shape> seen, List<Placed> placed) {
        if (shape instanceof Value || !seen.add(shape)) {
            return;
        }
        placed.add(new Placed(path, shape));
        if (shape instanceof Mapping mapping) {
            for (ConfigKey<?> key : mapping.section().keys()) {
                Shape child = mapping.structures().get(key);
                if (child != null) {
                    place(YamlNodeReader.child(path, key.name()), child, seen, placed);
                }
            }
        } else if (shape instanceof ValueOrMapping either) {
            place(path, either.mapping(), seen, placed);
        } else if (shape instanceof Items items) {
            place(path + "[]", items.item(), seen, placed);
        } else if (shape instanceof Entries entries) {
            place(path + ".<name>", entries.entry(), seen, placed);
        }
    }

    private static Mapping mapping(ConfigSection section) {
        return new Mapping(section, Map.of());
    }

    private static Mapping mapping(ConfigSection section, Map<ConfigKey<?>, Shape> structures) {
        return new Mapping(section, structures);
    }

    private static Items byIndex(Shape item, String noun) {
        return new Items(item, Optional.empty(), noun);
    }
}
