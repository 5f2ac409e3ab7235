package io.tributary.routes.jdbc;

import java.sql.SQLException;

/** Reads what a failed write says: whether the rows or the database are to blame, and why, in one line. */
final class SqlFailures {

    /** Past this, a driver's message is cut: errors go to logs and dead letters. */
    private static final int MAX_MESSAGE_LENGTH = 300;

    private SqlFailures() {
    }

    /**
     * True when the database refused the rows themselves (SQLSTATE class 22, data exception, such as a value
     * too long for its column; class 23, integrity constraint violation, such as a duplicate key): the other
     * rows of the batch can still be written.
     */
    static boolean isAboutTheRows(SQLException failure) {
        String state = state(failure);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** True for a data exception (SQLSTATE class 22): the row cannot be written as it is, however often tried. */
    static boolean isAboutTheData(SQLException failure) {
        String state = state(failure);
        return state != null && state.startsWith("22");
    }

    /** The database's reason, in one line, with its SQLSTATE; without the statement or the parameter values. */
    static String describe(SQLException failure) {
        SQLException specific = specific(failure);
        String message = specific.getMessage() == null ? specific.getClass().getSimpleName() : specific.getMessage();
        int statement = message.indexOf("; SQL statement:"); // H2 appends the statement
        if (statement >= 0) {
            message = message.substring(0, statement);
        }
        message = message.replaceAll("\\s+", " ").strip();
        if (message.length() > MAX_MESSAGE_LENGTH) {
            message = message.substring(0, MAX_MESSAGE_LENGTH) + "...";
        }
        String state = state(failure);
        return state == null ? message : message + " (SQLSTATE " + state + ")";
    }

    /**
     * The SQLSTATE of the most specific exception that has one: a batch failure's next exception holds the
     * server's own error (PostgreSQL), before its cause and the batch exception itself.
     */
    static String state(SQLException failure) {
        String specific = specific(failure).getSQLState();
        return specific != null ? specific : failure.getSQLState();
    }

    private static SQLException specific(SQLException failure) {
        SQLException next = failure.getNextException();
        if (next != null && next != failure) {
            return next;
        }
        return failure.getCause() instanceof SQLException cause ? cause : failure;
    }
}
