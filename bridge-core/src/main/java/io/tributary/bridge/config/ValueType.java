package io.tributary.bridge.config;

import java.util.Optional;

/**
 * A kind of configuration value: how it is parsed from YAML text, which values it accepts, and how it is
 * described in errors and in the reference documentation.
 *
 * @param <T> the Java type of a parsed value
 */
public interface ValueType<T> {

    /** What a valid value looks like, completing "expected ...": {@code an integer 0-65535}. */
    String expected();

    /**
     * The value written as {@code text}, or empty when the text is not a valid value of this type.
     *
     * @throws IllegalArgumentException when the type can say better than "expected ..." what is wrong, such as
     *     where a template is malformed; its message is reported instead
     */
    Optional<T> parse(String text);

    boolean accepts(T value);

    /** Whether this is written as one YAML scalar; a mapping or list is read by its own section reader. */
    default boolean isScalar() {
        return true;
    }

    /**
     * Whether a value is checked against where it is used, such as a template against its route's variables:
     * then the section's own reader reads it, not {@link SectionValues}.
     */
    default boolean checkedInContext() {
        return false;
    }

    /** How a value is written in YAML, for documented defaults. */
    default String format(T value) {
        return String.valueOf(value);
    }
}
