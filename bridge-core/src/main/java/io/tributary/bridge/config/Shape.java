package io.tributary.bridge.config;

import java.util.Objects;
import java.util.Optional;

/**
 * What a configuration key holds, declared with the key: the nesting of the file follows from it, and with it
 * the environment variables' targets, the sections of the reference and what an error says was expected.
 */
public sealed interface Shape permits Shape.Value, Shape.Mapping, Shape.Items, Shape.Entries {

    /** One scalar. */
    Value VALUE = new Value();

    /** Whether an environment variable can reach the scalars inside. */
    default boolean overridable() {
        return true;
    }

    record Value() implements Shape {
    }

    /**
     * A mapping of {@code section}'s keys.
     *
     * @param shorthand whether it may be written as one scalar standing for the mapping ({@code main: embedded})
     * @param overridable false for a secret: where a secret is read from is no setting to override
     */
    record Mapping(ConfigSection section, boolean shorthand, boolean overridable) implements Shape {
        public Mapping {
            // A section declared after the key that holds it would be null here: declare children first.
            Objects.requireNonNull(section, "section");
        }
    }

    /**
     * The items of a list, each known by the value of its {@code nameKey} or, without one, by its index.
     *
     * @param noun what an item is called in errors: {@code route}
     */
    record Items(Shape item, Optional<ConfigKey<String>> nameKey, String noun) implements Shape {
        @Override
        public boolean overridable() {
            return item.overridable();
        }
    }

    /**
     * The entries of a mapping whose keys are names chosen in the file, such as connections or headers.
     *
     * @param noun what an entry is called in errors: {@code Kafka connection}
     */
    record Entries(Shape entry, String noun) implements Shape {
        @Override
        public boolean overridable() {
            return entry.overridable();
        }
    }

    static Mapping mapping(ConfigSection section) {
        return new Mapping(section, false, true);
    }

    /** A mapping of {@code section}'s keys, or one scalar short for it. */
    static Mapping mappingOrShorthand(ConfigSection section) {
        return new Mapping(section, true, true);
    }

    /** A list whose items are known by their index. */
    static Items byIndex(Shape item, String noun) {
        return new Items(item, Optional.empty(), noun);
    }

    /** What a mapping of {@code section}'s keys is, in errors: {@code a mapping with the keys cert, key}. */
    static String expected(ConfigSection section) {
        return "a mapping with " + (section.oneOf() ? "one of the keys " : "the keys ") + section.allowedKeys();
    }
}
