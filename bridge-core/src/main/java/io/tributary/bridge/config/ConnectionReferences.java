package io.tributary.bridge.config;

import java.util.Optional;
import java.util.Set;

/** Checks that the {@code connection} of a route's Kafka source or sink names a declared connection. */
final class ConnectionReferences {

    private final YamlNodeReader reader;
    private final Set<String> kafka;

    /** @param kafka the names under {@code connections.kafka} */
    ConnectionReferences(YamlNodeReader reader, Set<String> kafka) {
        this.reader = reader;
        this.kafka = Set.copyOf(kafka);
    }

    /** The connection named in {@code mapping}; empty, and reported, when absent, invalid or undeclared. */
    Optional<String> kafka(YamlMapping mapping) {
        Optional<String> name = reader.required(mapping, RouteKeys.CONNECTION);
        if (name.isEmpty() || kafka.contains(name.get())) {
            return name;
        }
        String known = kafka.isEmpty()
                ? "no Kafka connection is declared under connections.kafka"
                : "known Kafka connections: " + String.join(", ", kafka.stream().sorted().toList());
        String hint = Suggestions.closest(name.get(), kafka).map(s -> " (did you mean '" + s + "'?)").orElse("");
        reader.report(mapping.value(RouteKeys.CONNECTION).orElseThrow(), mapping.pathOf(RouteKeys.CONNECTION),
                "unknown connection '" + name.get() + "'" + hint + "; " + known);
        return Optional.empty();
    }
}
