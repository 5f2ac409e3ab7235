package io.tributary.routes.spi;

/**
 * A part of the routes (a webhook sink, the HTTP API) could not start: a credential that cannot be read, a
 * template that is not valid, a port in use. The bridge reports it as its own start failure, with the same
 * message and cause.
 *
 * <p>Concurrency: immutable; thrown on the thread that starts the part.
 */
public final class PartStartException extends RuntimeException {

    public PartStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
