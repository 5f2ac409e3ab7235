package io.tributary.bridge.config;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the environment variable that overrides a key is named: {@code TRIBUTARY_}, then each segment of the key's
 * path upper-cased, with '-' and '.' written as '_', joined by '_'. A segment is a key, the name of an entry or
 * of a route, or the index of a list item: {@code broker.listeners[0].port} is
 * {@code TRIBUTARY_BROKER_LISTENERS_0_PORT}.
 */
final class OverrideNames {

    /** What every overriding variable starts with. */
    static final String PREFIX = "TRIBUTARY_";

    private OverrideNames() {
    }

    /** The variable of the key at {@code segments}. */
    static String variable(List<String> segments) {
        return PREFIX + segments.stream().map(OverrideNames::spell).collect(Collectors.joining("_"));
    }

    /** One segment as a variable writes it: {@code max-inflight} is {@code MAX_INFLIGHT}. */
    static String spell(String segment) {
        return segment.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /**
     * Whether a variable is meant as an override: it names a top-level key or something under it, such as
     * {@code TRIBUTARY_BROKER_MAX_INFLIGHT}. Other {@code TRIBUTARY_} variables, such as
     * {@code TRIBUTARY_LOG_FORMAT}, are left to whoever reads them.
     */
    static boolean isOverride(String variable) {
        if (!variable.startsWith(PREFIX)) {
            return false;
        }
        String rest = variable.substring(PREFIX.length());
        return ConfigSchema.ROOT.keys().stream().map(key -> spell(key.name()))
                .anyMatch(top -> rest.equals(top) || rest.startsWith(top + "_"));
    }
}
