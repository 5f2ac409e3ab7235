package io.tributary.bridge.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole Tributary configuration, validated.
 *
 * @param broker the MQTT broker's listeners and limits
 * @param dataDirectory where Tributary keeps its files (the embedded Kafka's log, later the H2 database),
 *     absolute
 * @param connections the external systems routes use, by name
 * @param routes the routes, in file order
 * @param camelRoutes plain Camel YAML DSL files loaded beside the routes, absolute
 * @param httpApi the HTTP API's settings; empty when the file has no {@code http-api} section (the API is off)
 */
public record TributaryConfig(BrokerSettings broker, Path dataDirectory, ConnectionSettings connections,
                              List<RouteSettings> routes, List<Path> camelRoutes, Optional<HttpApiSettings> httpApi) {

    /** The data directory when none is configured: {@code data}, beside the configuration file (the working folder for built-in text). */
    public static final String DEFAULT_DATA_DIRECTORY = "data";

    public TributaryConfig {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(connections, "connections");
        routes = List.copyOf(routes);
        camelRoutes = List.copyOf(camelRoutes);
        Objects.requireNonNull(httpApi, "httpApi");
    }

    /** A configuration without the HTTP API. */
    public TributaryConfig(BrokerSettings broker, Path dataDirectory, ConnectionSettings connections,
                           List<RouteSettings> routes, List<Path> camelRoutes) {
        this(broker, dataDirectory, connections, routes, camelRoutes, Optional.empty());
    }

    /** A configuration of the broker alone: no connections, no routes, no HTTP API. */
    public static TributaryConfig brokerOnly(BrokerSettings broker) {
        return new TributaryConfig(broker, Path.of(DEFAULT_DATA_DIRECTORY).toAbsolutePath(), ConnectionSettings.none(),
                List.of(), List.of(), Optional.empty());
    }

    /** The configuration of an empty file. */
    public static TributaryConfig defaults() {
        return brokerOnly(BrokerSettings.defaults());
    }
}
