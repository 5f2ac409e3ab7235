package io.tributary.bridge.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem found while reading one configuration, so that all are reported at once. */
final class ConfigErrors {

    private static final Comparator<ConfigError> FILE_ORDER = Comparator
            .comparing((ConfigError e) -> e.location().hasLine() ? 0 : 1)
            .thenComparingInt(ConfigError::line)
            .thenComparingInt(ConfigError::column);

    private final List<ConfigError> errors = new ArrayList<>();

    void add(SourceLocation location, String path, String message) {
        errors.add(new ConfigError(location, path, message));
    }

    /** How many were found so far; a reader compares counts to know whether its part was valid. */
    int count() {
        return errors.size();
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /** The errors with a line in file order, then the others (such as environment variables) as found. */
    List<ConfigError> inFileOrder() {
        return errors.stream().sorted(FILE_ORDER).toList();
    }
}
