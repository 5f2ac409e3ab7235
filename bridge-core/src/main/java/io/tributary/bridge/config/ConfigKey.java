package io.tributary.bridge.config;

import java.util.Objects;

/**
 * One configuration key, declared once: its readers parse it by this declaration, error messages list it,
 * environment variables reach it through its shape, and the reference documentation is generated from it.
 *
 * @param name the YAML key, in kebab case
 * @param type how its value is parsed and what it accepts
 * @param shape what it holds: one value, a mapping of a section, a list or named entries
 * @param defaultValue the value when the key is absent, or {@code null} when there is no single default
 *     (the default then depends on other keys, or the key is required)
 * @param defaultText the default as documented
 * @param doc what the key means, one or two sentences for the reference
 * @param <T> the Java type of its value
 */
public record ConfigKey<T>(String name, ValueType<T> type, Shape shape, T defaultValue, String defaultText,
                           String doc) {

    /** The documented default of a mapping that may be left out: see {@link #mappingOfDefaults}. */
    public static final String EVERY_KEY_AT_ITS_DEFAULT = "every key at its default";

    /** The documented default of a key that must be given. */
    public static final String REQUIRED = "required";

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(defaultText, "defaultText");
        Objects.requireNonNull(doc, "doc");
    }

    public static <T> ConfigKey<T> of(String name, ValueType<T> type, T defaultValue, String doc) {
        return new ConfigKey<>(name, type, Shape.VALUE, Objects.requireNonNull(defaultValue, "defaultValue"),
                type.format(defaultValue), doc);
    }

    /** A key whose default depends on other keys, or that is required: {@code defaultText} says which. */
    public static <T> ConfigKey<T> withoutFixedDefault(String name, ValueType<T> type, String defaultText,
                                                       String doc) {
        return new ConfigKey<>(name, type, Shape.VALUE, null, defaultText, doc);
    }

    public static <T> ConfigKey<T> section(String name, ConfigSection section, String defaultText, String doc) {
        return structure(name, Shape.mapping(section), Shape.expected(section), defaultText, doc);
    }

    /**
     * A key holding a mapping whose keys all have defaults, so that leaving it out is the same as writing it
     * empty, such as {@code broker} or a route's {@code retry}. An environment variable may add it.
     */
    public static <T> ConfigKey<T> mappingOfDefaults(String name, ConfigSection section, String doc) {
        return section(name, section, EVERY_KEY_AT_ITS_DEFAULT, doc);
    }

    /** A key holding a secret: a mapping of {@code secret}'s keys that no environment variable reaches into. */
    public static <T> ConfigKey<T> secret(String name, ConfigSection secret, String defaultText, String doc) {
        return structure(name, new Shape.Mapping(secret, false, false), ConnectionKeys.SECRET_EXPECTED,
                defaultText, doc);
    }

    /** A key holding a list or a mapping of names, described in errors as {@code expected}. */
    public static <T> ConfigKey<T> structure(String name, Shape shape, String expected, String defaultText,
                                             String doc) {
        return new ConfigKey<>(name, ValueTypes.structure(expected), shape, null, defaultText, doc);
    }

    /** Whether the key must be given: it has no default, and its documented default says so. */
    public boolean isRequired() {
        return defaultValue == null && REQUIRED.equals(defaultText);
    }

    /** Whether this key holds a mapping that leaving out is the same as writing empty. */
    public boolean isMappingOfDefaults() {
        return !type.isScalar() && EVERY_KEY_AT_ITS_DEFAULT.equals(defaultText);
    }
}
