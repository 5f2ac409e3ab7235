package io.tributary.bridge.config;

import java.util.Optional;
import java.util.Set;

/** Checks that the {@code connection} of a route's source or sink names a declared connection of its kind. */
final class ConnectionReferences {

    private final Set<String> kafka;
    private final Set<String> jdbc;
    private final Set<String> mqtt;

    /**
     * @param kafka the names under {@code connections.kafka}
     * @param jdbc the names under {@code connections.jdbc}
     * @param mqtt the names under {@code connections.mqtt}
     */
    ConnectionReferences(Set<String> kafka, Set<String> jdbc, Set<String> mqtt) {
        this.kafka = Set.copyOf(kafka);
        this.jdbc = Set.copyOf(jdbc);
        this.mqtt = Set.copyOf(mqtt);
    }

    /** The Kafka connection named in {@code mapping}; empty, and reported, when absent, invalid or undeclared. */
    Optional<String> kafka(SectionValues mapping) {
        return declared(mapping, RouteKeys.CONNECTION, kafka, "Kafka", ConnectionKeys.KAFKA);
    }

    /** The SQL database named in {@code mapping}; empty, and reported, when absent, invalid or undeclared. */
    Optional<String> jdbc(SectionValues mapping) {
        return declared(mapping, RouteKeys.JDBC_CONNECTION, jdbc, "JDBC", ConnectionKeys.JDBC);
    }

    /** The MQTT broker named in {@code mapping}; empty when absent (the built-in one), and reported when unknown. */
    Optional<String> mqtt(SectionValues mapping) {
        return mqtt(mapping, RouteKeys.MQTT_CONNECTION);
    }

    /** The MQTT broker named by {@code key} in {@code mapping}; as {@link #mqtt(SectionValues)}. */
    Optional<String> mqtt(SectionValues mapping, ConfigKey<String> key) {
        return declared(mapping, key, mqtt, "MQTT", ConnectionKeys.MQTT);
    }

    /** The Kafka connection named by {@code key} in {@code mapping}; as {@link #kafka(SectionValues)}. */
    Optional<String> declared(SectionValues mapping, ConfigKey<String> key) {
        return declared(mapping, key, kafka, "Kafka", ConnectionKeys.KAFKA);
    }

    private Optional<String> declared(SectionValues mapping, ConfigKey<String> key, Set<String> names, String kind,
                                      ConfigKey<?> section) {
        Optional<String> name = mapping.optional(key);
        if (name.isEmpty() || names.contains(name.get())) {
            return name;
        }
        String where = ConfigSchema.CONNECTIONS.name() + "." + section.name();
        String known = names.isEmpty()
                ? "no " + kind + " connection is declared under " + where
                : "known " + kind + " connections: " + String.join(", ", names.stream().sorted().toList());
        String hint = Suggestions.closest(name.get(), names).map(s -> " (did you mean '" + s + "'?)").orElse("");
        mapping.report(key, "unknown connection '" + name.get() + "'" + hint + "; " + known);
        return Optional.empty();
    }
}
