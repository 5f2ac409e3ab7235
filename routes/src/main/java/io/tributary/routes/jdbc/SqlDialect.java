package io.tributary.routes.jdbc;

import io.tributary.bridge.config.RouteSink.ColumnType;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

/**
 * What differs between the databases a JDBC sink writes to: how identifiers are written, the SQL type of each
 * {@link ColumnType}, how an upsert is said and how a JSON value is handed over.
 *
 * <p>Identifiers are quoted, so that a column named {@code value} or {@code timestamp} (reserved words) works,
 * in the case the database keeps unquoted names in (upper case for H2, lower case for PostgreSQL): a table
 * created as {@code CREATE TABLE readings (...)} is the one a sink with {@code table: readings} writes to.
 */
enum SqlDialect {

    H2 {
        @Override
        String identifier(String name) {
            return quote(name.toUpperCase(Locale.ROOT));
        }

        @Override
        String sqlType(ColumnType type) {
            return switch (type) {
                case TEXT -> "CHARACTER VARYING";
                case INTEGER -> "INTEGER";
                case BIGINT -> "BIGINT";
                case DOUBLE -> "DOUBLE PRECISION";
                case BOOLEAN -> "BOOLEAN";
                case TIMESTAMP -> "TIMESTAMP WITH TIME ZONE";
                case JSON -> "JSON";
            };
        }

        /** H2 takes a string parameter as a JSON string literal unless told that it is JSON text. */
        @Override
        String placeholder(ColumnType type) {
            return type == ColumnType.JSON ? "? FORMAT JSON" : "?";
        }

        @Override
        String upsert(String table, List<String> columns, List<String> placeholders, List<String> key) {
            return "MERGE INTO " + table + " (" + String.join(", ", columns) + ") KEY (" + String.join(", ", key)
                    + ") VALUES (" + String.join(", ", placeholders) + ")";
        }
    },

    POSTGRESQL {
        @Override
        String identifier(String name) {
            return quote(name.toLowerCase(Locale.ROOT));
        }

        @Override
        String sqlType(ColumnType type) {
            return switch (type) {
                case TEXT -> "text";
                case INTEGER -> "integer";
                case BIGINT -> "bigint";
                case DOUBLE -> "double precision";
                case BOOLEAN -> "boolean";
                case TIMESTAMP -> "timestamp with time zone";
                case JSON -> "jsonb";
            };
        }

        @Override
        String placeholder(ColumnType type) {
            return "?";
        }

        @Override
        String upsert(String table, List<String> columns, List<String> placeholders, List<String> key) {
            List<String> updated = columns.stream().filter(column -> !key.contains(column))
                    .map(column -> column + " = EXCLUDED." + column).toList();
            return insert(table, columns, placeholders) + " ON CONFLICT (" + String.join(", ", key) + ") "
                    + (updated.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + String.join(", ", updated));
        }

        /** Untyped, so that the server reads the text as the column's type: json, jsonb, or text. */
        @Override
        void bindJson(PreparedStatement statement, int index, String json) throws SQLException {
            statement.setObject(index, json, Types.OTHER);
        }
    };

    /**
     * The dialect of a JDBC URL.
     *
     * @throws IllegalArgumentException for a database other than H2 and PostgreSQL
     */
    static SqlDialect of(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("only H2 (jdbc:h2:...) and PostgreSQL (jdbc:postgresql:...) databases"
                + " are supported, not " + PoolFactory.redact(jdbcUrl));
    }

    /** The identifier, quoted, in the case the database stores unquoted identifiers in. */
    abstract String identifier(String name);

    /** The column type {@code CREATE TABLE} gives a value of this type. */
    abstract String sqlType(ColumnType type);

    /** The parameter marker for a value of this type in {@code VALUES (...)}. */
    abstract String placeholder(ColumnType type);

    /** The statement that inserts a row, or replaces the row with the same {@code key}; all names quoted. */
    abstract String upsert(String table, List<String> columns, List<String> placeholders, List<String> key);

    /** The statement that inserts a row; all names quoted. */
    String insert(String table, List<String> columns, List<String> placeholders) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", placeholders) + ")";
    }

    /** {@code CREATE TABLE IF NOT EXISTS}, with {@code key} (quoted names) as primary key unless empty. */
    String createTable(String table, List<String> columns, List<ColumnType> types, List<String> key) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(columns.get(i)).append(' ').append(sqlType(types.get(i)));
            if (key.contains(columns.get(i))) {
                sql.append(" NOT NULL");
            }
        }
        if (!key.isEmpty()) {
            sql.append(", PRIMARY KEY (").append(String.join(", ", key)).append(')');
        }
        return sql.append(')').toString();
    }

    /** Sets parameter {@code index} to a value that {@link ColumnValues#convert} made for {@code type}. */
    void bind(PreparedStatement statement, int index, ColumnType type, Object value) throws SQLException {
        switch (type) {
            case TEXT -> statement.setString(index, (String) value);
            case INTEGER -> statement.setInt(index, (Integer) value);
            case BIGINT -> statement.setLong(index, (Long) value);
            case DOUBLE -> statement.setDouble(index, (Double) value);
            case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
            case TIMESTAMP -> statement.setObject(index, (OffsetDateTime) value);
            case JSON -> bindJson(statement, index, (String) value);
        }
    }

    void bindJson(PreparedStatement statement, int index, String json) throws SQLException {
        statement.setString(index, json);
    }

    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
