package io.tributary.bridge.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The keys allowed in one YAML mapping of the configuration, such as {@code broker} or each item of
 * {@code broker.listeners}. Where it sits in the file follows from the keys that hold it (see {@link ConfigTree}).
 *
 * @param summary one sentence on what the mapping configures
 * @param keys the allowed keys, in documentation order
 * @param oneOf whether exactly one of the keys is given, as in a route's {@code from}
 */
public record ConfigSection(String summary, List<ConfigKey<?>> keys, boolean oneOf) {

    public ConfigSection {
        keys = List.copyOf(keys);
    }

    public ConfigSection(String summary, List<ConfigKey<?>> keys) {
        this(summary, keys, false);
    }

    /** A mapping of exactly one of {@code keys}. */
    public static ConfigSection oneOf(String summary, List<ConfigKey<?>> keys) {
        return new ConfigSection(summary, keys, true);
    }

    /** The allowed key names, comma separated, for error messages. */
    public String allowedKeys() {
        return keys.stream().map(ConfigKey::name).collect(Collectors.joining(", "));
    }

    public Optional<ConfigKey<?>> key(String name) {
        return keys.stream().filter(k -> k.name().equals(name)).findFirst();
    }
}
