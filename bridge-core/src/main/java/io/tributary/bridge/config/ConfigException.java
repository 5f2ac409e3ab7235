package io.tributary.bridge.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a configuration cannot be loaded; carries every problem found, not only the first. */
public class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(render(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** Every problem, in the order of the file. */
    public List<ConfigError> errors() {
        return errors;
    }

    private static String render(List<ConfigError> errors) {
        return errors.stream().map(ConfigError::render).collect(Collectors.joining("\n"));
    }
}
