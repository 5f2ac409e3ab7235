package io.tributary.bridge.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The {@code connections} section: the external systems routes use, each under a name, in file order. */
public record ConnectionSettings(Map<String, KafkaConnectionSettings> kafka,
                                 Map<String, JdbcConnectionSettings> jdbc,
                                 Map<String, MqttConnectionSettings> mqtt) {

    public ConnectionSettings {
        kafka = Collections.unmodifiableMap(new LinkedHashMap<>(kafka));
        jdbc = Collections.unmodifiableMap(new LinkedHashMap<>(jdbc));
        mqtt = Collections.unmodifiableMap(new LinkedHashMap<>(mqtt));
    }

    /** Kafka and SQL connections only. */
    public ConnectionSettings(Map<String, KafkaConnectionSettings> kafka, Map<String, JdbcConnectionSettings> jdbc) {
        this(kafka, jdbc, Map.of());
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

    public Optional<MqttConnectionSettings> mqtt(String name) {
        return Optional.ofNullable(mqtt.get(name));
    }
}
