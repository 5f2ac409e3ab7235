package io.tributary.routes.jdbc;

import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.mapping.MissingValueException;
import io.tributary.routes.spi.MappingException;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.Exchange;

/** Turns an exchange into the values of one row: each column's template rendered, then converted to its type. */
final class RowMapper {

    private final List<RouteSink.Column> columns;
    private final Function<Exchange, ? extends Function<String, String>> variables;

    RowMapper(List<RouteSink.Column> columns, Function<Exchange, ? extends Function<String, String>> variables) {
        this.columns = List.copyOf(columns);
        this.variables = variables;
    }

    /**
     * The row's values, in column order.
     *
     * @throws MappingException when a template has no value or a value does not convert, naming the column
     */
    Object[] row(Exchange exchange) {
        Function<String, String> values = variables.apply(exchange);
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
            RouteSink.Column column = columns.get(i);
            String text;
            try {
                text = column.value().render(values);
            } catch (MissingValueException e) {
                throw new MappingException("column " + column.name() + ": the message has no value for {"
                        + e.variable() + "} in '" + column.value() + "'");
            } catch (MappingException e) {
                throw new MappingException("column " + column.name() + ": " + e.getMessage());
            }
            row[i] = ColumnValues.convert(column.name(), column.type(), text);
        }
        return row;
    }
}
