package io.tributary.bridge.config;

import java.util.Objects;

/**
 * One problem found in a configuration: where it is, which field, and what was expected.
 *
 * @param location the file, line and column (or environment variable) of the offending value
 * @param path the field path such as {@code broker.listeners[1].port}; empty for a problem with the
 *     file as a whole, such as a YAML syntax error
 * @param message what is wrong, such as {@code expected an integer 0-65535, got 'abc'}
 */
public record ConfigError(SourceLocation location, String path, String message) {

    public ConfigError {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    public String file() {
        return location.source();
    }

    public int line() {
        return location.line();
    }

    public int column() {
        return location.column();
    }

    /** One line: {@code FILE:LINE:COL: broker.listeners[0].port: message}. */
    public String render() {
        return location + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }

    @Override
    public String toString() {
        return render();
    }
}
