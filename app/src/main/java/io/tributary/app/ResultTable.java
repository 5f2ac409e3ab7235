package io.tributary.app;

import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a query's rows as a table with aligned columns, as {@code psql} does. At most {@code maxRows} rows are
 * read, so the memory held is bounded; the statement itself should be limited to the same number.
 */
final class ResultTable {

    private ResultTable() {
    }

    static void print(ResultSet rows, int maxRows, PrintWriter out) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        int columns = meta.getColumnCount();
        List<String[]> lines = new ArrayList<>();
        String[] header = new String[columns];
        for (int c = 0; c < columns; c++) {
            header[c] = meta.getColumnLabel(c + 1);
        }
        lines.add(header);
        boolean more = false;
        while (rows.next()) {
            if (lines.size() > maxRows) {
                more = true;
                break;
            }
            String[] line = new String[columns];
            for (int c = 0; c < columns; c++) {
                Object value = rows.getObject(c + 1);
                line[c] = value == null ? "NULL" : value.toString();
            }
            lines.add(line);
        }
        int[] widths = new int[columns];
        for (String[] line : lines) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], line[c].length());
            }
        }
        for (int i = 0; i < lines.size(); i++) {
            out.println(render(lines.get(i), widths));
            if (i == 0) {
                out.println(separator(widths));
            }
        }
        int count = lines.size() - 1;
        out.println("(" + count + (count == 1 ? " row" : " rows")
                + (more || count == maxRows ? "; at most " + maxRows + ", see --max-rows" : "") + ")");
    }

    private static String render(String[] line, int[] widths) {
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < line.length; c++) {
            if (c > 0) {
                text.append(" | ");
            }
            text.append(line[c]);
            if (c < line.length - 1) {
                text.append(" ".repeat(widths[c] - line[c].length()));
            }
        }
        return text.toString();
    }

    private static String separator(int[] widths) {
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            if (c > 0) {
                text.append("-+-");
            }
            text.append("-".repeat(widths[c]));
        }
        return text.toString();
    }
}
