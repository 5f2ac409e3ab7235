package io.tributary.bridge.config;

import io.tributary.bridge.config.Shape.Entries;
import io.tributary.bridge.config.Shape.Items;
import io.tributary.bridge.config.Shape.Mapping;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Every scalar of one file that an environment variable can set, found by walking the file along
 * the declared {@link Shape}s: the keys its schema declares, and the routes, listeners and named entries the file has.
 * Since '_' stands for '-', '.' and the joins alike, two of them may share a variable, which is then an error; so
 * is a variable that names none, explained from the mappings and lists the walk went through.
 */
final class OverrideTargets {

    /**
     * One scalar a variable can set.
     *
     * @param path the key as errors name it: {@code routes[0].to.kafka.topic}
     * @param steps how to reach it from the top of the file
     * @param blocked why the variable cannot set it, when it cannot: a mapping on the way is not in the file and
     *     cannot be added, or is written as one value
     */
    record Target(String variable, String path, List<OverrideNodes.Step> steps, Optional<Problem> blocked) {
    }

    /** An error at {@code path}. */
    record Problem(String path, String message) {
    }

    /**
     * A mapping the walk went through: a variable under its prefix that matches nothing is reported against its
     * keys.
     */
    record Scope(String prefix, String path, ConfigSection section) {
    }

    /**
     * A list or mapping of names the walk went through, with its items by how a variable spells them: a
     * variable under its prefix that names none of them is reported as naming a missing item.
     *
     * @param byName whether items are known by a name, or else by their index
     * @param itemKeys how a variable spells the keys of an item, to tell where the item's name ends
     */
    record Collection(String prefix, String path, String noun, boolean byName, Map<String, String> items,
                      List<String> itemKeys) {
    }

    /**
     * Where the walk is: what the variables below start with ({@code TRIBUTARY_BROKER_}), the path for errors and
     * the steps through the tree.
     */
    private record Place(String prefix, String path, List<OverrideNodes.Step> steps, Optional<Problem> blocked) {

        Place key(String name) {
            return child(name, YamlNodeReader.child(path, name), new OverrideNodes.Key(name));
        }

        Place item(int index, String segment) {
            return child(segment, path + "[" + index + "]", new OverrideNodes.Item(index));
        }

        Place blockedBy(Problem problem) {
            return new Place(prefix, path, steps, Optional.of(problem));
        }

        /** The variable of the scalar here. */
        String variable() {
            return prefix.substring(0, prefix.length() - 1);
        }

        private Place child(String segment, String childPath, OverrideNodes.Step step) {
            List<OverrideNodes.Step> childSteps = new ArrayList<>(steps);
            childSteps.add(step);
            return new Place(prefix + EnvOverrides.spell(segment) + "_", childPath, List.copyOf(childSteps), blocked);
        }
    }

    private final EnvInterpolation interpolation;
    private final List<Target> targets = new ArrayList<>();
    private final List<Scope> scopes = new ArrayList<>();
    private final List<Collection> collections = new ArrayList<>();

    private OverrideTargets(EnvInterpolation interpolation) {
        this.interpolation = interpolation;
    }

    /**
     * The targets of the file whose tree is {@code root}.
     *
     * @param root the top of the file; null when it is empty
     * @param interpolation reads routes' names as their reader does
     */
    static OverrideTargets of(Node root, EnvInterpolation interpolation) {
        OverrideTargets found = new OverrideTargets(interpolation);
        Place top = new Place(EnvOverrides.PREFIX, "", List.of(), Optional.empty());
        found.walkMapping(ConfigTree.root(), root, top, true);
        return found;
    }

    /**
     * The one target that {@code variable} names; blocked when it cannot set it, or when it names several targets
     * or none (then most likely a typo, or a route, listener or entry that the file does not have).
     */
    Target resolve(String variable) {
        List<Target> named = targets.stream().filter(t -> t.variable().equals(variable)).toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        Problem problem = named.isEmpty() ? unknown(variable) : new Problem("", "matches more than one key: "
                + named.stream().map(Target::path).collect(Collectors.joining(", "))
                + "; rename one so that each variable names one key");
        return new Target(variable, problem.path(), List.of(), Optional.of(problem));
    }

    /** A variable that names a missing route, listener or entry, or else no key at all. */
    private Problem unknown(String variable) {
        return collections.stream().filter(c -> variable.startsWith(c.prefix()))
                .max(Comparator.comparingInt(c -> c.prefix().length())).flatMap(c -> missingItem(variable, c))
                .orElseGet(() -> noKey(variable));
    }

    /**
     * The item of {@code collection} that {@code variable} names, when the file has no such item. Where its name
     * ends is not known, since '_' joins the name and the key: the item is taken to end before the last key of
     * an item that follows it.
     */
    private static Optional<Problem> missingItem(String variable, Collection collection) {
        String rest = variable.substring(collection.prefix().length());
        boolean inFile = collection.items().keySet().stream()
                .anyMatch(item -> rest.equals(item) || rest.startsWith(item + "_"));
        if (inFile || rest.isEmpty()) {
            return Optional.empty();
        }
        String item = rest.substring(0, itemEnd(rest, collection.itemKeys()));
        String key = rest.substring(item.length());
        String hint = Suggestions.closest(item, collection.items().keySet())
                .map(closest -> " (did you mean " + collection.prefix() + closest + key + "?)").orElse("");
        String noun = collection.noun();
        return Optional.of(new Problem(collection.path(), "no " + noun + (collection.byName() ? " named " : " ") + item
                + " in the file" + hint + "; an environment variable can change a " + noun + " of the file but "
                + "not add one"));
    }

    private static int itemEnd(String rest, List<String> itemKeys) {
        for (int end = rest.lastIndexOf('_'); end > 0; end = rest.lastIndexOf('_', end - 1)) {
            String after = rest.substring(end + 1);
            if (itemKeys.stream().anyMatch(key -> after.equals(key) || after.startsWith(key + "_"))) {
                return end;
            }
        }
        return rest.length();
    }

    /** A variable that names no key of the innermost mapping whose prefix it starts with; the top level at least. */
    private Problem noKey(String variable) {
        Scope scope = scopes.stream().filter(s -> variable.startsWith(s.prefix()))
                .max(Comparator.comparingInt(s -> s.prefix().length())).orElseThrow();
        String rest = variable.substring(scope.prefix().length());
        List<String> variables = targets.stream().map(Target::variable).distinct().toList();
        String hint = Suggestions.closest(variable, variables).map(s -> " (did you mean " + s + "?)")
                .or(() -> scope.section().keys().stream()
                        .filter(key -> !key.type().isScalar() && EnvOverrides.spell(key.name()).equals(rest))
                        .findFirst()
                        .map(key -> " (" + key.name() + " is " + key.type().expected() + ", not one value)"))
                .orElse("");
        String keys = scope.section().keys().stream().filter(key -> key.type().isScalar()).map(ConfigKey::name)
                .collect(Collectors.joining(", "));
        String where = scope.path().isEmpty() ? "the top level" : "'" + scope.path() + "'";
        return new Problem("", "matches no key of " + where + hint
                + (keys.isEmpty() ? "" : "; " + scope.prefix() + "* can override " + keys));
    }

    private void walk(Shape shape, Node node, Place place, boolean mayBeAdded) {
        if (shape instanceof Mapping mapping && mapping.shorthand()) {
            if (node instanceof ScalarNode && !YamlNodeReader.isNull(node)) {
                addTarget(place);
            }
            walkMapping(mapping, node, place, false);
        } else if (shape instanceof Mapping mapping) {
            walkMapping(mapping, node, place, mayBeAdded);
        } else if (shape instanceof Items items) {
            walkItems(items, node, place);
        } else if (shape instanceof Entries entries) {
            walkEntries(entries, node, place);
        } else {
            addTarget(place);
        }
    }

    private void addTarget(Place place) {
        targets.add(new Target(place.variable(), place.path(), place.steps(), place.blocked()));
    }

    private void walkMapping(Mapping shape, Node node, Place place, boolean mayBeAdded) {
        MappingNode mapping = node instanceof MappingNode found ? found : null;
        Place inside = place;
        if (place.blocked().isEmpty() && node == null && !mayBeAdded) {
            inside = place.blockedBy(new Problem(place.path(), "not in the file, and an environment variable cannot "
                    + "add it; write it in the file to override its keys"));
        } else if (place.blocked().isEmpty() && node != null && mapping == null && !YamlNodeReader.isNull(node)) {
            inside = place.blockedBy(new Problem(place.path(), "written as " + YamlNodeReader.describe(node)
                    + " in the file, not as a mapping; write it as one to override its keys"));
        }
        scopes.add(new Scope(place.prefix(), place.path(), shape.section()));
        for (ConfigKey<?> key : shape.section().keys()) {
            if (key.shape().overridable()) {
                walk(key.shape(), mapping == null ? null : valueOf(mapping, key.name()), inside.key(key.name()),
                        key.isMappingOfDefaults());
            }
        }
    }

    private void walkItems(Items shape, Node node, Place place) {
        Map<String, String> spelled = new LinkedHashMap<>();
        if (node instanceof SequenceNode list) {
            for (int i = 0; i < list.getValue().size(); i++) {
                Node item = list.getValue().get(i);
                Optional<String> segment = shape.nameKey().isEmpty() ? Optional.of(String.valueOf(i))
                        : nameOf(item, shape.nameKey().get());
                if (segment.isPresent()) {
                    spelled.putIfAbsent(EnvOverrides.spell(segment.get()), segment.get());
                    walk(shape.item(), item, place.item(i, segment.get()), false);
                }
            }
        }
        collections.add(new Collection(place.prefix(), place.path(), shape.noun(), shape.nameKey().isPresent(),
                spelled, keysOf(shape.item())));
    }

    private void walkEntries(Entries shape, Node node, Place place) {
        Map<String, String> spelled = new LinkedHashMap<>();
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && !YamlNodeReader.isNull(key)) {
                    spelled.putIfAbsent(EnvOverrides.spell(key.getValue()), key.getValue());
                    walk(shape.entry(), tuple.getValueNode(), place.key(key.getValue()), false);
                }
            }
        }
        collections.add(new Collection(place.prefix(), place.path(), shape.noun(), true, spelled,
                keysOf(shape.entry())));
    }

    /** An item's name as its reader takes it; empty when it has none a variable can spell. */
    private Optional<String> nameOf(Node item, ConfigKey<String> nameKey) {
        if (!(item instanceof MappingNode mapping) || !(valueOf(mapping, nameKey.name()) instanceof ScalarNode name)
                || YamlNodeReader.isNull(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(interpolation.apply(name.getValue())).filter(n -> !n.isEmpty());
        } catch (IllegalArgumentException badReference) {
            return Optional.empty();
        }
    }

    /** The value of the first {@code name} key of a mapping, as the readers take it; null when absent. */
    private static Node valueOf(MappingNode mapping, String name) {
        return mapping.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof ScalarNode key && key.getValue().equals(name))
                .map(NodeTuple::getValueNode).findFirst().orElse(null);
    }

    /** How a variable spells the keys of an item, when it is a mapping. */
    private static List<String> keysOf(Shape item) {
        return !(item instanceof Mapping mapping) ? List.of()
                : mapping.section().keys().stream().map(k -> EnvOverrides.spell(k.name())).toList();
    }
}
