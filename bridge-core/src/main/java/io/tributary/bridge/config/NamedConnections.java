package io.tributary.bridge.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The connections of one kind ({@code connections.kafka}, {@code connections.jdbc}), by name.
 *
 * @param connections the connections in file order; empty when any is invalid
 * @param names every valid name declared, so that routes referring to a connection with an error in it are
 *     not reported as well
 * @param <T> the settings of one connection
 */
record NamedConnections<T>(Optional<Map<String, T>> connections, Set<String> names) {

    /** Reads one named entry's value; empty when it is invalid, each problem reported. */
    @FunctionalInterface
    interface EntryReader<T> {
        Optional<T> read(String name, Node value, String path);
    }

    /** No connections of this kind. */
    static <T> NamedConnections<T> none() {
        return new NamedConnections<>(Optional.of(Map.of()), Set.of());
    }

    /** Reads the mapping at {@code node}, each key a connection name and each value read by {@code entries}. */
    static <T> NamedConnections<T> read(YamlNodeReader reader, Node node, String path, String expected,
                                        EntryReader<T> entries) {
        Optional<List<YamlNodeReader.Entry>> found = reader.entries(node, path, expected);
        if (found.isEmpty()) {
            return new NamedConnections<>(Optional.empty(), Set.of());
        }
        Map<String, T> connections = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        boolean allValid = true;
        for (YamlNodeReader.Entry entry : found.get()) {
            String entryPath = YamlNodeReader.child(path, entry.key());
            // Names are not interpolated: a route must be able to refer to them as written.
            Optional<String> name = reader.text(entry.key(), reader.locate(entry.keyNode()), entryPath,
                    ValueTypes.name());
            name.ifPresent(names::add);
            Optional<T> connection = name.flatMap(n -> entries.read(n, entry.value(), entryPath));
            connection.ifPresent(c -> connections.put(name.get(), c));
            allValid &= connection.isPresent();
        }
        return new NamedConnections<>(allValid ? Optional.of(connections) : Optional.empty(), names);
    }
}
