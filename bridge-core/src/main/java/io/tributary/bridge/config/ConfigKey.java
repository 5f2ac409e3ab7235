package io.tributary.bridge.config;

import java.util.Objects;

/**
 * One configuration key, declared once: its readers parse it by this declaration, error messages list it,
 * and the reference documentation is generated from it.
 *
 * @param name the YAML key, in kebab case
 * @param type how its value is parsed and what it accepts
 * @param defaultValue the value when the key is absent, or {@code null} when there is no single default
 *     (the default then depends on other keys, or the key is required)
 * @param defaultText the default as documented
 * @param doc what the key means, one or two sentences for the reference
 * @param <T> the Java type of its value
 */
public record ConfigKey<T>(String name, ValueType<T> type, T defaultValue, String defaultText, String doc) {

    /** The documented default of a mapping that may be left out: see {@link #mappingOfDefaults}. */
    public static final String EVERY_KEY_AT_ITS_DEFAULT = "every key at its default";

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultText, "defaultText");
        Objects.requireNonNull(doc, "doc");
    }

    /** A key with a fixed default. */
    public static <T> ConfigKey<T> of(String name, ValueType<T> type, T defaultValue, String doc) {
        return new ConfigKey<>(name, type, Objects.requireNonNull(defaultValue, "defaultValue"),
                type.format(defaultValue), doc);
    }

    /** A key whose default depends on other keys, or that is required: {@code defaultText} says which. */
    public static <T> ConfigKey<T> withoutFixedDefault(String name, ValueType<T> type, String defaultText,
                                                       String doc) {
        return new ConfigKey<>(name, type, null, defaultText, doc);
    }

    /**
     * A key holding a mapping whose keys all have defaults, so that leaving it out is the same as writing it
     * empty, such as {@code broker} or a route's {@code retry}. An environment variable may add it.
     */
    public static <T> ConfigKey<T> mappingOfDefaults(String name, String expected, String doc) {
        return new ConfigKey<>(name, ValueTypes.structure(expected), null, EVERY_KEY_AT_ITS_DEFAULT, doc);
    }

    /** Whether this key holds a mapping that leaving out is the same as writing empty. */
    public boolean isMappingOfDefaults() {
        return !type.isScalar() && EVERY_KEY_AT_ITS_DEFAULT.equals(defaultText);
    }

    /**
     * Returns {@code value} if this key accepts it.
     *
     * @throws IllegalArgumentException naming the key and what it expects
     */
    public T require(T value) {
        if (!type.accepts(value)) {
            throw new IllegalArgumentException(name + ": expected " + type.expected() + ", got " + value);
        }
        return value;
    }
}
