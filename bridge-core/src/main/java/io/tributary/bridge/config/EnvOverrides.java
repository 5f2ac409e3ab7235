package io.tributary.bridge.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Values given by environment variables such as {@code TRIBUTARY_BROKER_MAX_PACKET_SIZE}, which win over
 * the file for the scalar keys of sections that allow it (see {@link ConfigSection#environmentVariable}).
 */
final class EnvOverrides {

    /** One overriding variable and its value, taken as written (no {@code ${...}} interpolation). */
    record Override(String variable, String value) {
        SourceLocation location() {
            return SourceLocation.environmentVariable(variable);
        }
    }

    private final Map<String, String> environment;

    EnvOverrides(Map<String, String> environment) {
        this.environment = new TreeMap<>(environment);
    }

    /** The variable overriding {@code key} of {@code section}, when it is set. */
    Optional<Override> find(ConfigSection section, ConfigKey<?> key) {
        if (!section.environmentOverrides() || !key.type().isScalar()) {
            return Optional.empty();
        }
        String variable = section.environmentVariable(key);
        return Optional.ofNullable(environment.get(variable)).map(value -> new Override(variable, value));
    }

    /** Reports each variable with a section's prefix that overrides none of its keys: most likely a typo. */
    void reportUnknown(List<ConfigSection> sections, ConfigErrors errors) {
        for (ConfigSection section : sections) {
            if (!section.environmentOverrides()) {
                continue;
            }
            List<String> known = section.keys().stream()
                    .filter(k -> k.type().isScalar())
                    .map(section::environmentVariable)
                    .toList();
            environment.keySet().stream()
                    .filter(name -> name.startsWith(section.environmentPrefix()) && !known.contains(name))
                    .forEach(name -> errors.add(SourceLocation.environmentVariable(name), "",
                            unknownMessage(name, section, known)));
        }
    }

    private static String unknownMessage(String name, ConfigSection section, List<String> known) {
        String hint = Suggestions.closest(name, known).map(s -> " (did you mean " + s + "?)").orElse("");
        String keys = section.keys().stream().filter(k -> k.type().isScalar()).map(ConfigKey::name)
                .collect(Collectors.joining(", "));
        return "matches no key of '" + section.path() + "'" + hint + "; " + section.environmentPrefix()
                + "* can override " + keys;
    }
}
