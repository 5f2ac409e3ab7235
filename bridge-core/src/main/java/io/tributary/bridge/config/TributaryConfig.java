package io.tributary.bridge.config;

import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ClusterConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole Tributary configuration, validated.
 *
 * @param broker the MQTT broker's listeners and limits, and where it keeps its state when {@code persistence} is on
 * @param dataDirectory where Tributary keeps its files (the embedded Kafka's log, later the H2 database),
 *     absolute
 * @param connections the external systems routes use, by name
 * @param routes the routes, in file order
 * @param camelRoutes plain Camel YAML DSL files loaded beside the routes, absolute
 * @param httpApi the HTTP API's settings; empty when the file has no {@code http-api} section (the API is off)
 * @param cluster the cluster this node is part of; empty for a single node (no {@code cluster} section)
 */
public record TributaryConfig(BrokerConfig broker, Path dataDirectory, ConnectionSettings connections,
                              List<RouteSettings> routes, List<Path> camelRoutes, Optional<HttpApiSettings> httpApi,
                              Optional<ClusterConfig> cluster) {

    /** The data directory when none is configured: {@code data}, beside the configuration file (the working folder for built-in text). */
    public static final String DEFAULT_DATA_DIRECTORY = "data";

    /** The folder under the data directory where the broker keeps its sessions and retained messages. */
    public static final String BROKER_STATE_FOLDER = "broker";

    public TributaryConfig {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(connections, "connections");
        routes = List.copyOf(routes);
        camelRoutes = List.copyOf(camelRoutes);
        Objects.requireNonNull(httpApi, "httpApi");
        Objects.requireNonNull(cluster, "cluster");
    }

    /** A configuration of a single node. */
    public TributaryConfig(BrokerConfig broker, Path dataDirectory, ConnectionSettings connections,
                           List<RouteSettings> routes, List<Path> camelRoutes, Optional<HttpApiSettings> httpApi) {
        this(broker, dataDirectory, connections, routes, camelRoutes, httpApi, Optional.empty());
    }

    /** A configuration without the HTTP API. */
    public TributaryConfig(BrokerConfig broker, Path dataDirectory, ConnectionSettings connections,
                           List<RouteSettings> routes, List<Path> camelRoutes) {
        this(broker, dataDirectory, connections, routes, camelRoutes, Optional.empty());
    }

    /**
     * The configuration of an empty file whose data directory is {@code dataDirectory}: the broker's defaults,
     * keeping its state in {@link #BROKER_STATE_FOLDER} there; no connections, no routes, no HTTP API.
     */
    public static TributaryConfig defaults(Path dataDirectory) {
        BrokerConfig broker = BrokerConfig.builder().persistenceDirectory(dataDirectory.resolve(BROKER_STATE_FOLDER))
                .build();
        return new TributaryConfig(broker, dataDirectory, ConnectionSettings.none(), List.of(), List.of());
    }
}
