package io.tributary.bridge.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads typed values out of a composed YAML node tree. Every problem becomes a {@link ConfigError} with
 * the node's file, line and column, and reading goes on, so that one load reports them all.
 */
final class YamlNodeReader {

    private final String source;
    private final ConfigErrors errors;
    private final EnvInterpolation interpolation;

    YamlNodeReader(String source, ConfigErrors errors, EnvInterpolation interpolation) {
        this.source = source;
        this.errors = errors;
        this.interpolation = interpolation;
    }

    ConfigErrors errors() {
        return errors;
    }

    /**
     * The node as a mapping of {@code section}'s keys, reporting unknown and repeated keys (which are then
     * left out). An absent node or a YAML null is an empty mapping, so that {@code broker:} alone means
     * every default. Empty, and reported, when the node is not a mapping.
     */
    Optional<YamlMapping> mapping(Node node, String path, ConfigSection section, SourceLocation whereAbsent) {
        if (node == null) {
            return Optional.of(new YamlMapping(path, whereAbsent, Map.of()));
        }
        String allowed = section.allowedKeys();
        return entryNodes(node, path, "a mapping with the keys " + allowed, "expected a key of " + allowed + ", got ",
                section).map(entries -> {
            Map<String, Node> values = new LinkedHashMap<>();
            entries.forEach(entry -> values.put(entry.key(), entry.value()));
            return new YamlMapping(path, locate(node), values);
        });
    }

    /**
     * Reads {@code node} as a mapping of {@code section}'s keys, its values by their declaration, then hands them
     * to {@code read}, which reads the rest and returns how to build the result. Empty when anything in the
     * mapping was reported, so that {@code read}'s result is built only from valid values.
     */
    <T> Optional<T> section(Node node, String path, ConfigSection section, Function<SectionValues, Supplier<T>> read) {
        return section(node, path, section, null, read);
    }

    /** Like {@link #section(Node, String, ConfigSection, Function)}, {@code whereAbsent} locating an absent node. */
    <T> Optional<T> section(Node node, String path, ConfigSection section, SourceLocation whereAbsent,
                            Function<SectionValues, Supplier<T>> read) {
        int errorsBefore = errors.count();
        Optional<YamlMapping> found = mapping(node, path, section, whereAbsent);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Supplier<T> build = read.apply(new SectionValues(this, found.get(), section));
        return errors.count() > errorsBefore ? Optional.empty() : Optional.of(build.get());
    }

    /**
     * The items of the list of {@code key} in {@code mapping}, each read by {@code readItem} with its path
     * ({@code routes[2]}); {@code absent} when the key is, empty when anything is invalid (reported).
     *
     * @param atLeastOne what to call an item when the list may not be empty ({@code listener}); null when it may
     */
    <T> Optional<List<T>> items(YamlMapping mapping, ConfigKey<?> key, List<T> absent, String atLeastOne,
                                BiFunction<Node, String, Optional<T>> readItem) {
        Optional<Node> node = mapping.value(key);
        if (node.isEmpty()) {
            return Optional.of(absent);
        }
        String path = mapping.pathOf(key);
        if (!(node.get() instanceof SequenceNode sequence)) {
            report(node.get(), path, "expected " + key.type().expected() + ", got " + describe(node.get()));
            return Optional.empty();
        }
        List<Node> items = sequence.getValue();
        if (items.isEmpty() && atLeastOne != null) {
            report(node.get(), path, "expected at least one " + atLeastOne + ", got an empty list");
            return Optional.empty();
        }
        List<T> result = new ArrayList<>();
        boolean allValid = true;
        for (int i = 0; i < items.size(); i++) {
            Optional<T> item = readItem.apply(items.get(i), path + "[" + i + "]");
            item.ifPresent(result::add);
            allValid &= item.isPresent();
        }
        return allValid ? Optional.of(result) : Optional.empty();
    }

    /**
     * The entries of {@code key} in {@code mapping}, a mapping whose keys are chosen by the user such as connection
     * names or Kafka properties: each read by {@code readEntry} with its path ({@code connections.kafka.main}) and
     * kept under its key as written, in file order; none when the key is absent, empty when anything is invalid
     * (reported).
     */
    <T> Optional<Map<String, T>> entries(YamlMapping mapping, ConfigKey<?> key,
                                         BiFunction<Entry, String, Optional<T>> readEntry) {
        Optional<Node> node = mapping.value(key);
        return node.isEmpty() ? Optional.of(Map.of())
                : entries(node.get(), mapping.pathOf(key), key.type().expected(), readEntry);
    }

    <T> Optional<Map<String, T>> entries(Node node, String path, String expected,
                                         BiFunction<Entry, String, Optional<T>> readEntry) {
        Optional<List<Entry>> entries =
                entryNodes(node, path, expected, "expected " + expected + ", got the key ", null);
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        Map<String, T> read = new LinkedHashMap<>();
        boolean allValid = true;
        for (Entry entry : entries.get()) {
            Optional<T> value = readEntry.apply(entry, child(path, entry.key()));
            value.ifPresent(v -> read.put(entry.key(), v));
            allValid &= value.isPresent();
        }
        return allValid ? Optional.of(read) : Optional.empty();
    }

    /**
     * The entries of a mapping in file order. Repeated and non-scalar keys, and keys that are not {@code section}'s
     * when it is given, are reported and left out. A YAML null is no entries. Empty, and reported, when the node is
     * not a mapping.
     *
     * @param badKey the start of the message for a non-scalar key, which names the key found
     */
    private Optional<List<Entry>> entryNodes(Node node, String path, String expected, String badKey,
                                             ConfigSection section) {
        if (isNull(node)) {
            return Optional.of(List.of());
        }
        if (!(node instanceof MappingNode mapping)) {
            report(node, path, "expected " + expected + ", got " + describe(node));
            return Optional.empty();
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalarKey) || isNull(keyNode)) {
                report(keyNode, path, badKey + describe(keyNode));
                continue;
            }
            String key = scalarKey.getValue();
            Entry first = entries.get(key);
            if (section != null && section.key(key).isEmpty()) {
                report(keyNode, child(path, key), unknownKeyMessage(key, section));
            } else if (first != null) {
                report(keyNode, child(path, key), "duplicate key '" + key + "', first given at line "
                        + locate(first.keyNode()).line());
            } else {
                entries.put(key, new Entry(key, keyNode, tuple.getValueNode()));
            }
        }
        return Optional.of(List.copyOf(entries.values()));
    }

    /** One entry of {@link #entries}: the key as written, its node for locations, and the value. */
    record Entry(String key, Node keyNode, Node value) {
    }

    /** An entry's key, such as a name, taken as written: a key is not interpolated. */
    <T> Optional<T> key(Entry entry, String path, ValueType<T> type) {
        return parse(entry.key(), locate(entry.keyNode()), path, type, "");
    }

    /**
     * The value of {@code key} in {@code mapping}: its default when absent (empty when it has none, and reported
     * when it is required); empty, and reported, when present but invalid.
     */
    <T> Optional<T> read(YamlMapping mapping, ConfigKey<T> key) {
        Optional<Node> node = key.isRequired() ? requiredNode(mapping, key) : mapping.value(key);
        return node.isEmpty() ? Optional.ofNullable(key.defaultValue())
                : scalar(node.get(), mapping.pathOf(key), key.type());
    }

    /** The value of {@code key} read by {@code read} with its path; empty when absent, or invalid (reported). */
    <T> Optional<T> optional(YamlMapping mapping, ConfigKey<?> key, BiFunction<Node, String, Optional<T>> read) {
        return mapping.value(key).flatMap(node -> read.apply(node, mapping.pathOf(key)));
    }

    /** Like {@link #optional}, of a key that must be given: reported at the mapping when absent. */
    <T> Optional<T> required(YamlMapping mapping, ConfigKey<?> key, BiFunction<Node, String, Optional<T>> read) {
        return requiredNode(mapping, key).flatMap(node -> read.apply(node, mapping.pathOf(key)));
    }

    /** The value node of a key that must be given; empty, and reported at the mapping, when it is absent. */
    Optional<Node> requiredNode(YamlMapping mapping, ConfigKey<?> key) {
        Optional<Node> node = mapping.value(key);
        if (node.isEmpty()) {
            report(mapping.location(), mapping.pathOf(key), "missing; expected " + key.type().expected());
        }
        return node;
    }

    /**
     * The one key of {@code section} present in a mapping whose keys are alternatives, such as {@code mqtt}
     * and {@code kafka} of a route's {@code from}; empty, and reported, when none or several are present.
     */
    Optional<ConfigKey<?>> exactlyOne(YamlMapping mapping, ConfigSection section) {
        List<ConfigKey<?>> present = section.keys().stream().filter(mapping::has).toList();
        if (present.size() == 1) {
            return Optional.of(present.get(0));
        }
        String got = present.isEmpty() ? "none"
                : present.stream().map(ConfigKey::name).collect(Collectors.joining(" and "));
        report(mapping.location(), mapping.path(), "expected exactly one of the keys " + section.allowedKeys()
                + ", got " + got);
        return Optional.empty();
    }

    /**
     * A scalar node's value after {@code ${...}} interpolation (an environment variable's is taken as written);
     * empty, and reported, when invalid.
     */
    <T> Optional<T> scalar(Node node, String path, ValueType<T> type) {
        if (!(node instanceof ScalarNode scalar) || isNull(node)) {
            report(node, path, "expected " + type.expected() + ", got " + describe(node));
            return Optional.empty();
        }
        String written = scalar.getValue();
        if (EnvOverrides.variableOf(node).isPresent()) {
            return parse(written, locate(node), path, type, "");
        }
        String text;
        try {
            text = interpolation.apply(written);
        } catch (IllegalArgumentException badReference) {
            report(node, path, badReference.getMessage());
            return Optional.empty();
        }
        String from = text.equals(written) ? "" : " (from '" + written + "')";
        return parse(text, locate(node), path, type, from);
    }

    void report(Node node, String path, String message) {
        errors.add(locate(node), path, message);
    }

    void report(SourceLocation location, String path, String message) {
        errors.add(location, path, message);
    }

    /** Where a node starts in its file, or the environment variable it was made from. */
    SourceLocation locate(Node node) {
        return EnvOverrides.variableOf(node).map(SourceLocation::environmentVariable)
                .or(() -> node.getStartMark().map(YamlNodeReader::location))
                .orElseGet(() -> SourceLocation.of(source));
    }

    /** The location of a SnakeYAML mark, whose lines and columns count from 0. */
    static SourceLocation location(Mark mark) {
        return new SourceLocation(mark.getName(), mark.getLine() + 1, mark.getColumn() + 1);
    }

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    private <T> Optional<T> parse(String text, SourceLocation location, String path, ValueType<T> type,
                                  String from) {
        Optional<T> value;
        try {
            value = type.parse(text);
        } catch (IllegalArgumentException malformed) {
            errors.add(location, path, malformed.getMessage() + from);
            return Optional.empty();
        }
        if (value.isEmpty()) {
            errors.add(location, path, "expected " + type.expected() + ", got '" + text + "'" + from);
        }
        return value;
    }

    private static String unknownKeyMessage(String key, ConfigSection section) {
        String hint = Suggestions.closest(key, section.keys().stream().map(ConfigKey::name).toList()).map(s -> " (did you mean '" + s + "'?)").orElse("");
        return "unknown key '" + key + "'" + hint + "; allowed keys: " + section.allowedKeys();
    }

    /** Whether the node is one value: a scalar that is not YAML's null. */
    static boolean isValue(Node node) {
        return node instanceof ScalarNode && !isNull(node);
    }

    /** Whether the node is YAML's null: nothing written, {@code ~} or {@code null}. */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** The node as an error message names what was found: {@code a mapping}, {@code 'abc'}. */
    static String describe(Node node) {
        return node instanceof MappingNode ? "a mapping" : node instanceof SequenceNode ? "a list"
                : isNull(node) ? "nothing" : "'" + ((ScalarNode) node).getValue() + "'";
    }
}
