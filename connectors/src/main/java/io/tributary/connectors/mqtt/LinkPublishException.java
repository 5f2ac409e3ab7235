package io.tributary.connectors.mqtt;

/**
 * A publish to an external broker that did not go through: the broker refused it (a reason code of 0x80 or more),
 * no acknowledgement came within {@code publish-timeout}, or the link was closed or had too many publishes waiting.
 * The route retries it as any failed delivery.
 */
public final class LinkPublishException extends RuntimeException {

    LinkPublishException(String message) {
        super(message);
    }

    LinkPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
