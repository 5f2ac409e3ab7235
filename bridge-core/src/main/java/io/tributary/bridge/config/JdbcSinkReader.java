package io.tributary.bridge.config;

import static io.tributary.bridge.config.RouteKeys.BATCH;
import static io.tributary.bridge.config.RouteKeys.BATCH_SIZE;
import static io.tributary.bridge.config.RouteKeys.BATCH_TIME;
import static io.tributary.bridge.config.RouteKeys.COLUMNS;
import static io.tributary.bridge.config.RouteKeys.COLUMN_TYPE;
import static io.tributary.bridge.config.RouteKeys.COLUMN_VALUE;
import static io.tributary.bridge.config.RouteKeys.CREATE_TABLE;
import static io.tributary.bridge.config.RouteKeys.TABLE;
import static io.tributary.bridge.config.RouteKeys.UPSERT_KEY;

import io.tributary.bridge.mapping.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads a SQL sink: the {@code jdbc} of a route's {@code to} or {@code dead-letter}, with its columns. */
final class JdbcSinkReader {

    /** The batch keys, read together since the sink keeps them as two fields. */
    private record Batch(int size, Duration time) {
    }

    /** A column as written, before its name is known to be valid. */
    private record ColumnValue(Template value, RouteSink.ColumnType type) {
    }

    private final YamlNodeReader reader;
    private final ConnectionReferences connections;
    private final RouteTemplates templates;

    JdbcSinkReader(YamlNodeReader reader, ConnectionReferences connections, RouteTemplates templates) {
        this.reader = reader;
        this.connections = connections;
        this.templates = templates;
    }

    /** The SQL sink a node describes; empty when it is invalid (reported). */
    Optional<RouteSink> read(Node node, String path, Optional<RouteVariables> variables) {
        int errorsBefore = reader.errors().count();
        Optional<YamlMapping> found = reader.mapping(node, path, RouteKeys.TO_JDBC, reader.locate(node));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping jdbc = found.get();
        Optional<String> connection = connections.jdbc(jdbc);
        Optional<String> table = reader.required(jdbc, TABLE);
        Optional<List<RouteSink.Column>> columns = reader.requiredNode(jdbc, COLUMNS)
                .flatMap(n -> readColumns(n, jdbc.pathOf(COLUMNS), variables));
        Optional<Batch> batch = readBatch(jdbc);
        // Without valid columns there is nothing to check the key against: that is one error, not more.
        Optional<List<String>> upsertKey = columns.flatMap(c -> readUpsertKey(jdbc, c));
        Optional<Boolean> createTable = reader.read(jdbc, CREATE_TABLE);
        if (reader.errors().count() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new RouteSink.Jdbc(connection.orElseThrow(), table.orElseThrow(), columns.orElseThrow(),
                batch.orElseThrow().size(), batch.orElseThrow().time(), upsertKey.orElseThrow(),
                createTable.orElseThrow()));
    }

    private Optional<List<RouteSink.Column>> readColumns(Node node, String path, Optional<RouteVariables> variables) {
        Optional<List<YamlNodeReader.Entry>> entries = reader.entries(node, path, COLUMNS.type().expected());
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        if (entries.get().isEmpty()) {
            reader.report(node, path, "expected at least one column, got none");
            return Optional.empty();
        }
        List<RouteSink.Column> columns = new ArrayList<>();
        // SQL folds unquoted names to one case, so 'Site' and 'site' would be the same column.
        Map<String, YamlNodeReader.Entry> byFoldedName = new LinkedHashMap<>();
        boolean allValid = true;
        for (YamlNodeReader.Entry entry : entries.get()) {
            String columnPath = YamlNodeReader.child(path, entry.key());
            Optional<String> name = reader.text(entry.key(), reader.locate(entry.keyNode()), columnPath,
                    ValueTypes.sqlName());
            YamlNodeReader.Entry first = name.isEmpty() ? null
                    : byFoldedName.putIfAbsent(name.get().toLowerCase(Locale.ROOT), entry);
            if (first != null) {
                reader.report(entry.keyNode(), columnPath, "column '" + entry.key() + "' is the same SQL name as '"
                        + first.key() + "' (line " + reader.locate(first.keyNode()).line() + "): SQL ignores case");
                name = Optional.empty();
            }
            Optional<ColumnValue> value = readColumn(entry.value(), columnPath, variables);
            if (name.isPresent() && value.isPresent()) {
                columns.add(new RouteSink.Column(name.get(), value.get().value(), value.get().type()));
            }
            allValid &= name.isPresent() && value.isPresent();
        }
        return allValid ? Optional.of(columns) : Optional.empty();
    }

    /** A column's value and type; a template alone is a text column. */
    private Optional<ColumnValue> readColumn(Node node, String path, Optional<RouteVariables> variables) {
        if (node instanceof ScalarNode || RouteTemplates.isUnquotedVariable(node)) {
            return templates.template(node, path, variables).map(t -> new ColumnValue(t, COLUMN_TYPE.defaultValue()));
        }
        Optional<YamlMapping> found = reader.mapping(node, path, RouteKeys.JDBC_COLUMN, reader.locate(node));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Optional<Template> value = templates.required(found.get(), COLUMN_VALUE, variables);
        Optional<RouteSink.ColumnType> type = reader.read(found.get(), COLUMN_TYPE);
        return value.flatMap(v -> type.map(t -> new ColumnValue(v, t)));
    }

    private Optional<Batch> readBatch(YamlMapping jdbc) {
        // Absent, it is an empty mapping: every key at its default.
        Optional<YamlMapping> found = reader.mapping(jdbc.value(BATCH).orElse(null), jdbc.pathOf(BATCH),
                RouteKeys.JDBC_BATCH, jdbc.location());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Optional<Integer> size = reader.read(found.get(), BATCH_SIZE);
        Optional<Duration> time = reader.read(found.get(), BATCH_TIME);
        return size.flatMap(s -> time.map(t -> new Batch(s, t)));
    }

    /** The upsert key: column names, each once; none when absent. */
    private Optional<List<String>> readUpsertKey(YamlMapping jdbc, List<RouteSink.Column> columns) {
        Optional<Node> node = jdbc.value(UPSERT_KEY);
        if (node.isEmpty()) {
            return Optional.of(List.of());
        }
        String path = jdbc.pathOf(UPSERT_KEY);
        Optional<List<Node>> items = reader.sequence(node.get(), path, UPSERT_KEY.type().expected());
        if (items.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = columns.stream().map(RouteSink.Column::name).toList();
        List<String> key = new ArrayList<>();
        boolean allValid = true;
        for (int i = 0; i < items.get().size(); i++) {
            Node item = items.get().get(i);
            String itemPath = path + "[" + i + "]";
            Optional<String> name = reader.scalar(item, itemPath, ValueTypes.sqlName());
            if (name.isPresent() && !names.contains(name.get())) {
                String hint = Suggestions.closest(name.get(), names).map(s -> " (did you mean '" + s + "'?)")
                        .orElse("");
                reader.report(item, itemPath, "'" + name.get() + "' is not a column" + hint + "; columns: "
                        + String.join(", ", names));
                name = Optional.empty();
            } else if (name.isPresent() && key.contains(name.get())) {
                reader.report(item, itemPath, "'" + name.get() + "' is already in the upsert key");
                name = Optional.empty();
            }
            name.ifPresent(key::add);
            allValid &= name.isPresent();
        }
        return allValid ? Optional.of(key) : Optional.empty();
    }
}
