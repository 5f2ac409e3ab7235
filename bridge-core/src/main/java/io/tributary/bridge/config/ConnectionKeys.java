package io.tributary.bridge.config;

import java.util.List;
import java.util.Map;

/**
 * The declaration of every key of the {@code connections} section and its Kafka connections: read by
 * {@link ConfigLoader}, listed in errors and generated into {@code docs/configuration.md}.
 */
public final class ConnectionKeys {

    /** What a Kafka connection may be written as instead of a mapping: {@code main: embedded}. */
    public static final String EMBEDDED_SHORTHAND = "embedded";

    public static final ConfigKey<Map<String, KafkaConnectionSettings>> KAFKA = ConfigKey.withoutFixedDefault("kafka",
            ValueTypes.structure("a mapping of connection names to Kafka connections"), "none",
            "Kafka clusters by name (letters, digits, '.', '_' or '-'). Each has the keys of "
                    + "`connections.kafka.<name>`, or is just `embedded`, short for `{ embedded: true }`.");

    public static final ConfigKey<String> BOOTSTRAP_SERVERS = ConfigKey.withoutFixedDefault("bootstrap-servers",
            ValueTypes.bootstrapServers(), "required unless `embedded`",
            "The `host:port` addresses of an external Kafka cluster, separated by commas.");

    public static final ConfigKey<Boolean> EMBEDDED = ConfigKey.of("embedded",
            ValueTypes.bool(), false,
            "When true, Tributary runs a single-node Kafka in its own process, keeping its data under "
                    + "`data-directory`, instead of connecting to `bootstrap-servers`. At most one connection "
                    + "may be embedded.");

    public static final ConfigKey<Integer> PORT = ConfigKey.of("port",
            ValueTypes.integer(0, 65_535), 9092,
            "`embedded` only: the port the embedded Kafka listens on, on 127.0.0.1; 0 picks a free one.");

    public static final ConfigKey<Map<String, String>> PROPERTIES = ConfigKey.withoutFixedDefault("properties",
            ValueTypes.structure("a mapping of Kafka client properties to values"), "none",
            "Kafka client properties for this connection's producers and consumers, such as "
                    + "`security.protocol: SSL`, passed as written.");

    /** The {@code connections} mapping; {@code jdbc} and {@code http} will join {@code kafka} here. */
    public static final ConfigSection CONNECTIONS = new ConfigSection("connections",
            "The external systems that routes read from and write to, each under a name that routes refer to.",
            List.of(KAFKA),
            false);

    /** Each value of {@code connections.kafka} written as a mapping. */
    public static final ConfigSection KAFKA_CONNECTION = new ConfigSection("connections.kafka.<name>",
            "One Kafka cluster: an external one (`bootstrap-servers`) or one that Tributary runs itself "
                    + "(`embedded: true`); exactly one of the two.",
            List.of(BOOTSTRAP_SERVERS, EMBEDDED, PORT, PROPERTIES),
            false);

    private ConnectionKeys() {
    }
}
