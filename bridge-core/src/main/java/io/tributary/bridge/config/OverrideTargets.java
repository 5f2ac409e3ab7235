package io.tributary.bridge.config;

import io.tributary.bridge.config.Shape.Entries;
import io.tributary.bridge.config.Shape.Items;
import io.tributary.bridge.config.Shape.Mapping;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Every scalar of one file that an environment variable can set, found by walking the file along
 * the declared {@link Shape}s: the keys its schema declares, and the routes, listeners and named entries the file has.
 * Since '_' stands for '-', '.' and the joins alike, two of them may share a variable, which is then an error; so
 * is a variable that names none, explained from the mappings and lists the walk went through. The same walk puts
 * the variables' values into the tree: each node they make remembers its variable (see {@link EnvOverrides}). The
 * tree is not changed in place: the nodes along the way are copied, since a YAML alias shares one node between
 * several places and a variable is for one of them.
 */
final class OverrideTargets {

    /**
     * One scalar a variable can set.
     *
     * @param path the key as errors name it: {@code routes[0].to.kafka.topic}
     * @param blocked why the variable cannot set it, when it cannot: a mapping on the way is not in the file and
     *     cannot be added, or is written as one value
     */
    record Target(String variable, String path, Optional<Problem> blocked) {
    }

    record Problem(String path, String message) {
    }

    /** A mapping the walk went through: a variable under its prefix that matches nothing is told its keys. */
    private record Scope(String prefix, String path, ConfigSection section) {
    }

    /**
     * A list or mapping of names the walk went through, with its items by how a variable spells them: a
     * variable under its prefix that names none of them is reported as naming a missing item.
     *
     * @param byName whether items are known by a name, or else by their index
     * @param itemKeys how a variable spells the keys of an item, to tell where the item's name ends
     */
    private record Collection(String prefix, String path, String noun, boolean byName, Map<String, String> items,
                              List<String> itemKeys) {
    }

    /** Where the walk is: what the variables below start with ({@code TRIBUTARY_BROKER_}), the path for errors. */
    private record Place(String prefix, String path, Optional<Problem> blocked) {

        Place key(String name) {
            return child(name, YamlNodeReader.child(path, name));
        }

        Place item(int index, String segment) {
            return child(segment, path + "[" + index + "]");
        }

        Place blockedBy(Problem problem) {
            return new Place(prefix, path, Optional.of(problem));
        }

        String variable() {
            return prefix.substring(0, prefix.length() - 1);
        }

        private Place child(String segment, String childPath) {
            return new Place(prefix + EnvOverrides.spell(segment) + "_", childPath, blocked);
        }
    }

    private final EnvInterpolation interpolation;
    /** The values to put in, by variable; none while the targets are only being found. */
    private final Map<String, String> values;
    private final List<String> applied = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<Scope> scopes = new ArrayList<>();
    private final List<Collection> collections = new ArrayList<>();

    private OverrideTargets(EnvInterpolation interpolation, Map<String, String> values) {
        this.interpolation = interpolation;
        this.values = values;
    }

    /** @param root the top of the file; null when it is empty */
    static OverrideTargets of(Node root, EnvInterpolation interpolation) {
        OverrideTargets found = new OverrideTargets(interpolation, Map.of());
        found.walkTop(root);
        return found;
    }

    /**
     * The tree of {@code root} with each of {@code values} in place of the one target its variable names.
     *
     * @param values variables for which {@link #problem} has none, with their values
     */
    Node apply(Node root, Map<String, String> values) {
        return new OverrideTargets(interpolation, values).walkTop(root);
    }

    private Node walkTop(Node root) {
        return walkMapping(ConfigTree.root(), root, new Place(EnvOverrides.PREFIX, "", Optional.empty()), true);
    }

    /**
     * Why {@code variable} cannot be put in: its one target cannot be set, or it names several targets or none
     * (then most likely a typo, or a route, listener or entry that the file does not have); empty when it can.
     */
    Optional<Problem> problem(String variable) {
        List<Target> named = targets.stream().filter(t -> t.variable().equals(variable)).toList();
        if (named.size() == 1) {
            return named.get(0).blocked();
        }
        return Optional.of(named.isEmpty() ? unknown(variable) : new Problem("", "matches more than one key: "
                + named.stream().map(Target::path).collect(Collectors.joining(", "))
                + "; rename one so that each variable names one key"));
    }

    /** A variable that names a missing route, listener or entry, or else no key at all. */
    private Problem unknown(String variable) {
        return innermost(collections, Collection::prefix, variable).flatMap(c -> missingItem(variable, c))
                .orElseGet(() -> noKey(variable));
    }

    /** Of the places the walk went through, the innermost that {@code variable} is under. */
    private static <T> Optional<T> innermost(List<T> places, Function<T, String> prefix, String variable) {
        return places.stream().filter(p -> variable.startsWith(prefix.apply(p)))
                .max(Comparator.comparingInt(p -> prefix.apply(p).length()));
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
        Scope scope = innermost(scopes, Scope::prefix, variable).orElseThrow();
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

    /** The node at {@code place} with the values below it put in: {@code node} itself when none is. */
    private Node walk(Shape shape, Node node, Place place, boolean mayBeAdded) {
        if (shape instanceof Mapping mapping && mapping.shorthand() && YamlNodeReader.isValue(node)) {
            Node set = target(place, node);
            walkMapping(mapping, node, place, false);
            return set;
        } else if (shape instanceof Mapping mapping) {
            return walkMapping(mapping, node, place, mayBeAdded && !mapping.shorthand());
        } else if (shape instanceof Items items) {
            return walkItems(items, node, place);
        } else if (shape instanceof Entries entries) {
            return walkEntries(entries, node, place);
        }
        return target(place, node);
    }

    /** The scalar a variable sets at {@code place}, taken as written; {@code node} when none does. */
    private Node target(Place place, Node node) {
        String variable = place.variable();
        targets.add(new Target(variable, place.path(), place.blocked()));
        if (!values.containsKey(variable)) {
            return node;
        }
        applied.add(variable);
        return EnvOverrides.remember(new ScalarNode(Tag.STR, values.get(variable), ScalarStyle.PLAIN), variable);
    }

    private Node walkMapping(Mapping shape, Node node, Place place, boolean mayBeAdded) {
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
        int appliedBefore = applied.size();
        List<NodeTuple> tuples = mapping == null ? new ArrayList<>() : new ArrayList<>(mapping.getValue());
        // A key the file lacks is added as the variable that reached it first did: in the variables' order.
        Map<String, NodeTuple> added = new TreeMap<>();
        for (ConfigKey<?> key : shape.section().keys()) {
            int index = mapping == null ? -1 : indexOf(tuples, key.name());
            Node value = index < 0 ? null : tuples.get(index).getValueNode();
            int before = applied.size();
            Node set = key.shape().overridable()
                    ? walk(key.shape(), value, inside.key(key.name()), key.isMappingOfDefaults()) : value;
            if (set != value && index >= 0) {
                tuples.set(index, new NodeTuple(tuples.get(index).getKeyNode(), set));
            } else if (set != value) {
                String first = firstSince(before);
                added.put(first, new NodeTuple(EnvOverrides.remember(
                        new ScalarNode(Tag.STR, key.name(), ScalarStyle.PLAIN), first), set));
            }
        }
        if (applied.size() == appliedBefore) {
            return node;
        }
        tuples.addAll(added.values());
        if (node == null) {
            return EnvOverrides.remember(new MappingNode(Tag.MAP, tuples, FlowStyle.BLOCK), firstSince(appliedBefore));
        }
        // A YAML null stands for an empty mapping, whose place in the file it keeps.
        return new MappingNode(mapping == null ? Tag.MAP : mapping.getTag(), true, tuples,
                mapping == null ? FlowStyle.BLOCK : mapping.getFlowStyle(), node.getStartMark(), node.getEndMark());
    }

    /** The first, in the variables' order, of the variables put in since {@code index}. */
    private String firstSince(int index) {
        return Collections.min(applied.subList(index, applied.size()));
    }

    private Node walkItems(Items shape, Node node, Place place) {
        Map<String, String> spelled = new LinkedHashMap<>();
        int appliedBefore = applied.size();
        List<Node> items = node instanceof SequenceNode list ? new ArrayList<>(list.getValue()) : List.of();
        for (int i = 0; i < items.size(); i++) {
            Optional<String> segment = shape.nameKey().isEmpty() ? Optional.of(String.valueOf(i))
                    : nameOf(items.get(i), shape.nameKey().get());
            if (segment.isPresent()) {
                spelled.putIfAbsent(EnvOverrides.spell(segment.get()), segment.get());
                items.set(i, walk(shape.item(), items.get(i), place.item(i, segment.get()), false));
            }
        }
        collections.add(new Collection(place.prefix(), place.path(), shape.noun(), shape.nameKey().isPresent(),
                spelled, keysOf(shape.item())));
        return applied.size() == appliedBefore ? node : new SequenceNode(node.getTag(), true, items,
                ((SequenceNode) node).getFlowStyle(), node.getStartMark(), node.getEndMark());
    }

    private Node walkEntries(Entries shape, Node node, Place place) {
        Map<String, String> spelled = new LinkedHashMap<>();
        int appliedBefore = applied.size();
        List<NodeTuple> tuples = node instanceof MappingNode mapping ? new ArrayList<>(mapping.getValue()) : List.of();
        for (int i = 0; i < tuples.size(); i++) {
            if (tuples.get(i).getKeyNode() instanceof ScalarNode key && !YamlNodeReader.isNull(key)) {
                spelled.putIfAbsent(EnvOverrides.spell(key.getValue()), key.getValue());
                tuples.set(i, new NodeTuple(key,
                        walk(shape.entry(), tuples.get(i).getValueNode(), place.key(key.getValue()), false)));
            }
        }
        collections.add(new Collection(place.prefix(), place.path(), shape.noun(), true, spelled,
                keysOf(shape.entry())));
        return applied.size() == appliedBefore ? node : new MappingNode(node.getTag(), true, tuples,
                ((MappingNode) node).getFlowStyle(), node.getStartMark(), node.getEndMark());
    }

    /** An item's name as its reader takes it; empty when it has none a variable can spell. */
    private Optional<String> nameOf(Node item, ConfigKey<String> nameKey) {
        int index = item instanceof MappingNode mapping ? indexOf(mapping.getValue(), nameKey.name()) : -1;
        if (index < 0 || !(((MappingNode) item).getValue().get(index).getValueNode() instanceof ScalarNode name)
                || YamlNodeReader.isNull(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(interpolation.apply(name.getValue())).filter(n -> !n.isEmpty());
        } catch (IllegalArgumentException badReference) {
            return Optional.empty();
        }
    }

    /** The index of the first {@code name} key, as the readers take it (they report the repeats); -1 when absent. */
    private static int indexOf(List<NodeTuple> tuples, String name) {
        for (int i = 0; i < tuples.size(); i++) {
            if (tuples.get(i).getKeyNode() instanceof ScalarNode key && key.getValue().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** How a variable spells the keys of an item, when it is a mapping. */
    private static List<String> keysOf(Shape item) {
        return !(item instanceof Mapping mapping) ? List.of()
                : mapping.section().keys().stream().map(k -> EnvOverrides.spell(k.name())).toList();
    }
}
