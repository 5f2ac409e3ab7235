package io.tributary.bridge.config;

import java.nio.file.Path;
import java.util.List;

/** The top-level keys of a configuration file, and every section in documentation order. */
public final class ConfigSchema {

    public static final ConfigKey<BrokerSettings> BROKER = ConfigKey.mappingOfDefaults("broker", "a mapping",
            "The MQTT broker, with the keys of `broker`.");

    public static final ConfigKey<Path> DATA_DIRECTORY = ConfigKey.of("data-directory",
            ValueTypes.folder(), Path.of(TributaryConfig.DEFAULT_DATA_DIRECTORY),
            "Where Tributary keeps its files, such as an embedded Kafka's data. A relative path is resolved "
                    + "against the configuration file's folder.");

    public static final ConfigKey<ConnectionSettings> CONNECTIONS = ConfigKey.withoutFixedDefault("connections",
            ValueTypes.structure("a mapping"), "none",
            "The external systems that routes use, with the keys of `connections`.");

    public static final ConfigKey<List<RouteSettings>> ROUTES = ConfigKey.withoutFixedDefault("routes",
            ValueTypes.structure("a list of routes"), "none",
            "What flows between the broker and the connections: a list of route mappings, each with the keys "
                    + "of `routes[]`.");

    public static final ConfigKey<List<Path>> CAMEL_ROUTES = ConfigKey.withoutFixedDefault("camel-routes",
            ValueTypes.structure("a list of file paths"), "none",
            "Files of routes in Camel's YAML DSL, started beside `routes` for what they cannot express. "
                    + "Relative paths are resolved against the configuration file's folder; each file must exist.");

    public static final ConfigKey<HttpApiSettings> HTTP_API = ConfigKey.withoutFixedDefault("http-api",
            ValueTypes.structure("a mapping"), "none: the API is off",
            "Tributary's HTTP API (publishing, retained messages, Server-Sent Events, webhook subscriptions), "
                    + "with the keys of `http-api`.");

    /** The top level of the file. */
    public static final ConfigSection ROOT = new ConfigSection("",
            "A configuration file is one YAML mapping with these keys.",
            List.of(BROKER, DATA_DIRECTORY, CONNECTIONS, ROUTES, CAMEL_ROUTES, HTTP_API));

    /** Every section, in the order of the reference documentation. */
    public static final List<ConfigSection> SECTIONS = List.of(ROOT, BrokerKeys.BROKER, BrokerKeys.LISTENER,
            BrokerKeys.TLS, ConnectionKeys.CONNECTIONS, ConnectionKeys.KAFKA_CONNECTION,
            ConnectionKeys.JDBC_CONNECTION, ConnectionKeys.SECRET, RouteKeys.ROUTE, RouteKeys.FROM_SECTION,
            RouteKeys.FROM_KAFKA, RouteKeys.TO_SECTION, RouteKeys.TO_KAFKA, RouteKeys.TO_MQTT, RouteKeys.TO_HTTP,
            RouteKeys.HTTP_AUTH, RouteKeys.HTTP_BASIC, RouteKeys.TO_JDBC, RouteKeys.JDBC_COLUMN, RouteKeys.JDBC_BATCH,
            RouteKeys.RETRY_SECTION, HttpApiKeys.HTTP_API);

    private ConfigSchema() {
    }
}
