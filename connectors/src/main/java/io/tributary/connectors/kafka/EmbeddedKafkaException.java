package io.tributary.connectors.kafka;

/** Raised when an {@link EmbeddedKafka} cannot format its storage, start, or create a topic. */
public final class EmbeddedKafkaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EmbeddedKafkaException(String message) {
        super(message);
    }

    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
