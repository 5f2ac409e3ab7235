package io.tributary.bridge.config;

import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ClusterConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The top-level keys of a configuration file, and every section in documentation order. */
public final class ConfigSchema {

    public static final ConfigKey<BrokerConfig> BROKER = ConfigKey.mappingOfDefaults("broker", BrokerKeys.BROKER,
            "The MQTT broker, with the keys of `broker`.");

    public static final ConfigKey<Path> DATA_DIRECTORY = ConfigKey.of("data-directory",
            ValueTypes.folder(), Path.of(TributaryConfig.DEFAULT_DATA_DIRECTORY),
            "Where Tributary keeps its files, such as an embedded Kafka's data. A relative path is resolved "
                    + "against the configuration file's folder.");

    public static final ConfigKey<ConnectionSettings> CONNECTIONS = ConfigKey.section("connections",
            ConnectionKeys.CONNECTIONS, "none",
            "The external systems that routes use, with the keys of `connections`.");

    public static final ConfigKey<List<RouteSettings>> ROUTES = ConfigKey.structure("routes",
            new Shape.Items(Shape.mapping(RouteKeys.ROUTE), Optional.of(RouteKeys.NAME), "route"), "a list of routes",
            "none",
            "What flows between the broker and the connections: a list of route mappings, each with the keys "
                    + "of `routes[]`.");

    public static final ConfigKey<List<Path>> CAMEL_ROUTES = ConfigKey.structure("camel-routes",
            Shape.byIndex(Shape.VALUE, "file"), "a list of file paths", "none",
            "Files of routes in Camel's YAML DSL, started beside `routes` for what they cannot express. "
                    + "Relative paths are resolved against the configuration file's folder; each file must exist.");

    public static final ConfigKey<HttpApiSettings> HTTP_API = ConfigKey.section("http-api",
            HttpApiKeys.HTTP_API, "none: the API is off",
            "Tributary's HTTP API (publishing, retained messages, Server-Sent Events, webhook subscriptions), "
                    + "with the keys of `http-api`.");

    public static final ConfigKey<ClusterConfig> CLUSTER = ConfigKey.section("cluster", ClusterKeys.CLUSTER,
            "none: a single node",
            "Several nodes with the same file as one broker, through one Kafka, with the keys of `cluster`.");

    public static final ConfigKey<HiveMqSettings> HIVEMQ = ConfigKey.mappingOfDefaults("hivemq", HiveMqKeys.HIVEMQ,
            "Tributary inside HiveMQ, as its extension, with the keys of `hivemq`. There the keys of `broker` and "
                    + "`http-api`, an embedded Kafka and `ack: buffer` are refused; `tributary run` refuses this key.");

    /** The top level of the file. */
    public static final ConfigSection ROOT = new ConfigSection(
            "A configuration file is one YAML mapping with these keys.",
            List.of(BROKER, DATA_DIRECTORY, CONNECTIONS, ROUTES, CAMEL_ROUTES, HTTP_API, CLUSTER, HIVEMQ));

    /** Every section, in the order of the reference documentation: where the file's tree first holds it. */
    public static final List<ConfigSection> SECTIONS = ConfigTree.placed().stream()
            .flatMap(placed -> placed.section().stream()).toList();

    private ConfigSchema() {
    }

    /** Where {@code section} sits in the file, as documented: {@code broker.listeners[]}; empty for the top level. */
    public static String pathOf(ConfigSection section) {
        return ConfigTree.placed().stream().filter(p -> p.section().orElse(null) == section)
                .map(ConfigTree.Placed::path).findFirst().orElseThrow();
    }
}
