package io.tributary.routes.http;

/**
 * A webhook did not take a message, in a way that a later attempt may fix: an answer other than 2xx (such
 * as 500, 503, 429, 408), a timeout, a refused connection. The route retries it. The message says what
 * happened in a few words, naming the webhook by host and port only: never the path or query (which may
 * hold a key), a header or the answer's body.
 */
public class WebhookDeliveryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WebhookDeliveryException(String message) {
        super(message, null, false, false);
    }
}
