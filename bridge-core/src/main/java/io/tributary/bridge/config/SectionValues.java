package io.tributary.bridge.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The values of one mapping, read by its section's declaration: every key holding one value is read as soon as
 * the mapping is, with its default when absent and reported as missing when required, so that a section's own
 * code keeps only what the declaration cannot say (rules across keys, nested sections, route variables).
 */
final class SectionValues {

    private final YamlNodeReader reader;
    private final YamlMapping mapping;
    private final Map<ConfigKey<?>, Optional<?>> values = new HashMap<>();

    SectionValues(YamlNodeReader reader, YamlMapping mapping, ConfigSection section) {
        this.reader = reader;
        this.mapping = mapping;
        for (ConfigKey<?> key : section.keys()) {
            // A template or condition is checked against its route's variables, so its section reads it.
            if (key.shape() instanceof Shape.Value && !key.type().checkedInContext()) {
                values.put(key, reader.read(mapping, key));
            }
        }
    }

    /** The mapping as written, for the keys that its section's code reads itself. */
    YamlMapping mapping() {
        return mapping;
    }

    /** The value of a key holding one value, or its default; empty when absent without one, or invalid. */
    @SuppressWarnings("unchecked")
    <T> Optional<T> optional(ConfigKey<T> key) {
        Optional<?> value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException(key.name() + " is not a value of " + mapping.path());
        }
        return (Optional<T>) value;
    }

    /** The value of a key that has one once the section was read without error. */
    <T> T get(ConfigKey<T> key) {
        return optional(key).orElseThrow();
    }

    boolean has(ConfigKey<?> key) {
        return mapping.has(key);
    }

    Optional<Node> node(ConfigKey<?> key) {
        return mapping.value(key);
    }

    String pathOf(ConfigKey<?> key) {
        return mapping.pathOf(key);
    }

    /** Reports a problem with a key that is present, at its value. */
    void report(ConfigKey<?> key, String message) {
        reader.report(mapping.value(key).orElseThrow(), mapping.pathOf(key), message);
    }

    /** Reports a problem with the mapping as a whole, at its start. */
    void report(String message) {
        reader.report(mapping.location(), mapping.path(), message);
    }
}
