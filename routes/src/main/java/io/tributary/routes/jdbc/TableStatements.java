package io.tributary.routes.jdbc;

import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.RouteSink.ColumnType;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The SQL a JDBC sink runs against its table: the insert (or upsert) of one row, executed in batches, and
 * the {@code CREATE TABLE IF NOT EXISTS} when the sink creates its table.
 *
 * @param table the table as the sink's configuration names it, for messages
 * @param write the statement that writes one row, its parameters the columns in order
 * @param createTable the statement that creates the table, when the sink creates it
 * @param types the column types, in order
 * @param dialect how the values are bound
 */
record TableStatements(String table, String write, Optional<String> createTable, List<ColumnType> types,
                       SqlDialect dialect) {

    TableStatements {
        types = List.copyOf(types);
    }

    /** The statements of {@code sink} in {@code dialect}. */
    static TableStatements of(RouteSink.Jdbc sink, SqlDialect dialect) {
        String table = dialect.identifier(sink.table());
        List<String> columns = sink.columns().stream().map(column -> dialect.identifier(column.name())).toList();
        List<String> placeholders = sink.columns().stream().map(column -> dialect.placeholder(column.type())).toList();
        List<String> names = sink.columns().stream().map(RouteSink.Column::name).toList();
        for (String key : sink.upsertKey()) {
            if (!names.contains(key)) {
                throw new IllegalArgumentException("the upsert key " + key + " of table " + sink.table()
                        + " is not one of its columns " + names);
            }
        }
        List<String> key = sink.upsertKey().stream().map(dialect::identifier).toList();
        List<ColumnType> types = sink.columns().stream().map(RouteSink.Column::type).toList();
        String write = key.isEmpty() ? dialect.insert(table, columns, placeholders)
                : dialect.upsert(table, columns, placeholders, key);
        Optional<String> create = sink.createTable()
                ? Optional.of(dialect.createTable(table, columns, types, key)) : Optional.empty();
        return new TableStatements(sink.table(), write, create, types, dialect);
    }

    /** Sets the parameters of {@link #write()} to one row's values. */
    void bind(PreparedStatement statement, Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            dialect.bind(statement, i + 1, types.get(i), row[i]);
        }
    }
}
