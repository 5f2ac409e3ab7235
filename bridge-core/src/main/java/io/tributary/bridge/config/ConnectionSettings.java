package io.tributary.bridge.config;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code connections} section: the external systems routes use, each under a name.
 *
 * @param kafka the Kafka connections by name, in file order
 * @param jdbc the SQL databases by name, in file order
 */
public record ConnectionSettings(Map<String, KafkaConnectionSettings> kafka,
                                 Map<String, JdbcConnectionSettings> jdbc) {

    public ConnectionSettings {
        kafka = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(kafka));
        jdbc = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(jdbc));
    }

    /** Kafka connections only. */
    public ConnectionSettings(Map<String, KafkaConnectionSettings> kafka) {
        this(kafka, Map.of());
    }

    /** No connections. */
    public static ConnectionSettings none() {
        return new ConnectionSettings(Map.of(), Map.of());
    }

    public Optional<JdbcConnectionSettings> jdbc(String name) {
        return Optional.ofNullable(jdbc.get(name));
    }

    public Optional<KafkaConnectionSettings> kafka(String name) {
        return Optional.ofNullable(kafka.get(name));
    }
}
