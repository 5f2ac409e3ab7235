package io.tributary.bridge.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A whole Tributary configuration, validated.
 *
 * @param broker the MQTT broker's listeners and limits
 * @param dataDirectory where Tributary keeps its files (the embedded Kafka's log, later the H2 database),
 *     absolute
 * @param connections the external systems routes use, by name
 * @param routes the routes, in file order
 * @param camelRoutes plain Camel YAML DSL files loaded beside the routes, absolute
 */
public record TributaryConfig(BrokerSettings broker, Path dataDirectory, ConnectionSettings connections,
                              List<RouteSettings> routes, List<Path> camelRoutes) {

    /** The data directory when none is configured: {@code data}, beside the configuration file (the working folder for built-in text). */
    public static final String DEFAULT_DATA_DIRECTORY = "data";

    public TributaryConfig {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(connections, "connections");
        routes = List.copyOf(routes);
        camelRoutes = List.copyOf(camelRoutes);
    }

    /** A configuration of the broker alone: no connections, no routes. */
    public static TributaryConfig brokerOnly(BrokerSettings broker) {
        return new TributaryConfig(broker, Path.of(DEFAULT_DATA_DIRECTORY).toAbsolutePath(), ConnectionSettings.none(),
                List.of(), List.of());
    }

    /** The configuration of an empty file. */
    public static TributaryConfig defaults() {
        return brokerOnly(BrokerSettings.defaults());
    }
}
