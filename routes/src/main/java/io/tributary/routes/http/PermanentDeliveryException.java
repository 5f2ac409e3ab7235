package io.tributary.routes.http;

/**
 * A webhook refused a message in a way that retrying cannot change (400, 401, 403, 404, 405, 410, 413, 414,
 * 415, 422): the route sends it to its dead-letter destination at once, as it does a mapping error.
 */
public final class PermanentDeliveryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PermanentDeliveryException(String message) {
        super(message, null, false, false);
    }
}
