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
        return reader.section(node, path, RouteKeys.TO_JDBC, jdbc -> {
            Optional<String> connection = connections.jdbc(jdbc);
            Optional<List<RouteSink.Column>> columns = reader.requiredNode(jdbc.mapping(), COLUMNS)
                    .flatMap(n -> readColumns(n, jdbc.pathOf(COLUMNS), variables));
            // Absent, it is an empty mapping: every key at its default.
            Optional<SectionValues> batch = reader.section(jdbc.node(BATCH).orElse(null), jdbc.pathOf(BATCH),
                    RouteKeys.JDBC_BATCH, jdbc.mapping().location(), values -> () -> values);
            // Without valid columns there is nothing to check the key against: that is one error, not more.
            Optional<List<String>> upsertKey = columns.flatMap(c -> readUpsertKey(jdbc.mapping(), c));
            return () -> new RouteSink.Jdbc(connection.orElseThrow(), jdbc.get(TABLE), columns.orElseThrow(),
                    batch.orElseThrow().get(BATCH_SIZE), batch.orElseThrow().get(BATCH_TIME), upsertKey.orElseThrow(),
                    jdbc.get(CREATE_TABLE));
        });
    }

    private Optional<List<RouteSink.Column>> readColumns(Node node, String path, Optional<RouteVariables> variables) {
        // SQL folds unquoted names to one case, so 'Site' and 'site' would be the same column.
        Map<String, YamlNodeReader.Entry> byFoldedName = new LinkedHashMap<>();
        Optional<Map<String, RouteSink.Column>> columns = reader.entries(node, path, COLUMNS.type().expected(),
                (entry, columnPath) -> {
                    Optional<String> name = reader.text(entry.key(), reader.locate(entry.keyNode()), columnPath,
                            ValueTypes.sqlName());
                    YamlNodeReader.Entry first = name.isEmpty() ? null
                            : byFoldedName.putIfAbsent(name.get().toLowerCase(Locale.ROOT), entry);
                    if (first != null) {
                        reader.report(entry.keyNode(), columnPath, "column '" + entry.key() + "' is the same SQL "
                                + "name as '" + first.key() + "' (line " + reader.locate(first.keyNode()).line()
                                + "): SQL ignores case");
                        name = Optional.empty();
                    }
                    Optional<ColumnValue> value = readColumn(entry.value(), columnPath, variables);
                    return name.flatMap(n -> value.map(v -> new RouteSink.Column(n, v.value(), v.type())));
                });
        if (columns.isPresent() && columns.get().isEmpty()) {
            reader.report(node, path, "expected at least one column, got none");
            return Optional.empty();
        }
        return columns.map(c -> List.copyOf(c.values()));
    }

    /** A column's value and type; a template alone is a text column. */
    private Optional<ColumnValue> readColumn(Node node, String path, Optional<RouteVariables> variables) {
        if (node instanceof ScalarNode || RouteTemplates.isUnquotedVariable(node)) {
            return templates.template(node, path, variables).map(t -> new ColumnValue(t, COLUMN_TYPE.defaultValue()));
        }
        return reader.section(node, path, RouteKeys.JDBC_COLUMN, column -> {
            Optional<Template> value = templates.required(column.mapping(), COLUMN_VALUE, variables);
            return () -> new ColumnValue(value.orElseThrow(), column.get(COLUMN_TYPE));
        });
    }

    /** The upsert key: column names, each once; none when absent. */
    private Optional<List<String>> readUpsertKey(YamlMapping jdbc, List<RouteSink.Column> columns) {
        List<String> names = columns.stream().map(RouteSink.Column::name).toList();
        List<String> key = new ArrayList<>();
        return reader.items(jdbc, UPSERT_KEY, List.of(), null, (item, itemPath) -> {
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
            return name;
        });
    }
}
