package io.tributary.bridge.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where each {@link ConfigSection} sits in a file, followed from the top-level keys through each key's
 * {@link Shape}: nothing here restates the nesting that the declarations already give.
 */
final class ConfigTree {

    /**
     * A mapping, list or mapping of names, and its documented path: {@code routes[].to.kafka.headers}.
     *
     * @param overridable whether environment variables reach into it; not into a secret
     */
    record Placed(String path, Shape shape, boolean overridable) {

        /** The section, when this is a mapping. */
        Optional<ConfigSection> section() {
            return shape instanceof Shape.Mapping mapping ? Optional.of(mapping.section()) : Optional.empty();
        }
    }

    private ConfigTree() {
    }

    /**
     * The top level, then every mapping, list and mapping of names below it, in file order, each section once: a
     * sink at its place under {@code to}, not again under {@code dead-letter}, the secret at its first place.
     */
    static List<Placed> placed() {
        List<Placed> placed = new ArrayList<>();
        place("", root(), true, Collections.newSetFromMap(new IdentityHashMap<>()), placed);
        return placed;
    }

    /** The whole file. */
    static Shape.Mapping root() {
        // Made on demand: ConfigSchema's own initialisation walks this tree.
        return Shape.mapping(ConfigSchema.ROOT);
    }

    private static void place(String path, Shape shape, boolean overridable, Set<ConfigSection> seen,
                              List<Placed> placed) {
        if (shape instanceof Shape.Value || shape instanceof Shape.Mapping m && !seen.add(m.section())) {
            return;
        }
        boolean reachable = overridable && shape.overridable();
        placed.add(new Placed(path, shape, reachable));
        if (shape instanceof Shape.Mapping mapping) {
            for (ConfigKey<?> key : mapping.section().keys()) {
                place(YamlNodeReader.child(path, key.name()), key.shape(), reachable, seen, placed);
            }
        } else if (shape instanceof Shape.Items items) {
            place(path + "[]", items.item(), reachable, seen, placed);
        } else if (shape instanceof Shape.Entries entries) {
            place(path + ".<name>", entries.entry(), reachable, seen, placed);
        }
    }
}
