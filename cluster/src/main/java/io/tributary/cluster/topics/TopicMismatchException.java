package io.tributary.cluster.topics;

/** A cluster topic that cannot be used as it is (another partition count or cleanup policy), or cannot be made. */
public final class TopicMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TopicMismatchException(String message) {
        super(message);
    }

    public TopicMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
