package io.tributary.routes.spi;

/**
 * A message that the route's mapping cannot express: a template variable without a value, a payload that
 * is not JSON, a rendered topic that is not valid. Retrying cannot help, so it goes straight to the
 * dead-letter destination.
 */
public final class MappingException extends RuntimeException {

    public MappingException(String message) {
        super(message, null, false, false);
    }
}
