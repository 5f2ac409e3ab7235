package io.tributary.routes.jdbc;

/**
 * A row that could not be written: the database was unreachable or refused the batch. The route retries the
 * message; past its last attempt it goes to the dead-letter destination with this message as the error.
 */
public final class JdbcWriteException extends Exception {

    private static final long serialVersionUID = 1L;

    JdbcWriteException(String message, Throwable cause) {
        // One failure completes many exchanges, each with its own instance: no stack trace to fill each time.
        super(message, cause, false, false);
    }
}
