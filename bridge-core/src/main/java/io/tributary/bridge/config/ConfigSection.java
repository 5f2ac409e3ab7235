package io.tributary.bridge.config;

import java.util.List;
import java.util.Locale;
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
 * @param environmentOverrides whether each scalar key can be overridden by an environment variable named
 *     by {@link #environmentVariable(ConfigKey)}
 */
public record ConfigSection(String path, String summary, List<ConfigKey<?>> keys, boolean environmentOverrides) {

    /** Prefix of every environment variable that overrides a key. */
    public static final String ENVIRONMENT_PREFIX = "TRIBUTARY_";

    public ConfigSection {
        keys = List.copyOf(keys);
        if (environmentOverrides && path.contains("[")) {
            throw new IllegalArgumentException("a key inside a list cannot be named by one environment variable");
        }
    }

    /** The allowed key names, comma separated, for error messages. */
    public String allowedKeys() {
        return keys.stream().map(ConfigKey::name).collect(Collectors.joining(", "));
    }

    /** The declared key of that name. */
    public Optional<ConfigKey<?>> key(String name) {
        return keys.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /**
     * The environment variable that overrides {@code key}: {@code TRIBUTARY_}, then the section path and key
     * upper-cased, with '.' and '-' written as '_'. {@code broker.max-packet-size} is
     * {@code TRIBUTARY_BROKER_MAX_PACKET_SIZE}.
     */
    public String environmentVariable(ConfigKey<?> key) {
        return environmentPrefix() + upperSnake(key.name());
    }

    /** The prefix shared by the environment variables of this section's keys: {@code TRIBUTARY_BROKER_}. */
    public String environmentPrefix() {
        return ENVIRONMENT_PREFIX + (path.isEmpty() ? "" : upperSnake(path) + "_");
    }

    private static String upperSnake(String text) {
        return text.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }
}
