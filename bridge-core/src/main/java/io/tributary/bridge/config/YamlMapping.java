package io.tributary.bridge.config;

import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A YAML mapping already checked against its {@link ConfigSection}: only declared keys, none twice.
 *
 * @param path the field path of the mapping, such as {@code broker.listeners[0]}; empty for the top level
 * @param location where the mapping starts, or where it would be when it is absent
 * @param values the value node of each key present
 */
record YamlMapping(String path, SourceLocation location, Map<String, Node> values) {

    YamlMapping {
        values = Map.copyOf(values);
    }

    /** The value node of {@code key}, when the key is present. */
    Optional<Node> value(ConfigKey<?> key) {
        return Optional.ofNullable(values.get(key.name()));
    }

    boolean has(ConfigKey<?> key) {
        return values.containsKey(key.name());
    }

    /** The field path of {@code key} in this mapping, such as {@code broker.listeners[0].port}. */
    String pathOf(ConfigKey<?> key) {
        return YamlNodeReader.child(path, key.name());
    }
}
