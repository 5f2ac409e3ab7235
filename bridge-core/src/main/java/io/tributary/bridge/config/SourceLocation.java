package io.tributary.bridge.config;

import java.util.Objects;

/**
 * Where a configuration value came from: a file position, or a source without lines such as an
 * environment variable.
 *
 * @param source the file as the user named it, or a description such as {@code environment variable X}
 * @param line the 1-based line, or 0 when the source has no lines
 * @param column the 1-based column, or 0 when the source has no lines
 */
public record SourceLocation(String source, int line, int column) {

    public SourceLocation {
        Objects.requireNonNull(source, "source");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column are 1-based, or 0 for none");
        }
    }

    /** A whole source, with no line: a file that cannot be read, or an environment variable. */
    public static SourceLocation of(String source) {
        return new SourceLocation(source, 0, 0);
    }

    public static SourceLocation environmentVariable(String name) {
        return of("environment variable " + name);
    }

    public boolean hasLine() {
        return line > 0;
    }

    /** {@code FILE:LINE:COL}, or just the source when there is no line. */
    @Override
    public String toString() {
        return hasLine() ? source + ":" + line + ":" + column : source;
    }
}
