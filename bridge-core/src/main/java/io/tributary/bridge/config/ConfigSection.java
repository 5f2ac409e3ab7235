package io.tributary.bridge.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The keys allowed in one YAML mapping of the configuration, such as {@code broker} or each item of
 * {@code broker.listeners}.
 *
 * @param path where the mapping sits, as documented: {@code broker}, {@code broker.listeners[]}; empty for
 *     the top level
 * @param summary one sentence on what the mapping configures
 * @param keys the allowed keys, in documentation order
 */
public record ConfigSection(String path, String summary, List<ConfigKey<?>> keys) {

    public ConfigSection {
        keys = List.copyOf(keys);
    }

    /** The allowed key names, comma separated, for error messages. */
    public String allowedKeys() {
        return keys.stream().map(ConfigKey::name).collect(Collectors.joining(", "));
    }

    /** The declared key of that name. */
    public Optional<ConfigKey<?>> key(String name) {
        return keys.stream().filter(k -> k.name().equals(name)).findFirst();
    }
}
