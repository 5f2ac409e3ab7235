package io.tributary.bridge.config;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code connections} section: the external systems routes use, each under a name.
 *
 * @param kafka the Kafka connections by name, in file order
 */
public record ConnectionSettings(Map<String, KafkaConnectionSettings> kafka) {

    public ConnectionSettings {
        kafka = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(kafka));
    }

    /** No connections. */
    public static ConnectionSettings none() {
        return new ConnectionSettings(Map.of());
    }

    public Optional<KafkaConnectionSettings> kafka(String name) {
        return Optional.ofNullable(kafka.get(name));
    }
}
