package io.tributary.broker;

/**
 * Told what this node's part in a cluster does, for metrics: each append to the cluster's topics and each
 * message of the log handed to this node's sessions. Knows no metrics library; the routes module binds it to
 * Micrometer ({@code ClusterMeters}).
 *
 * <p>Concurrency: called on the Kafka producer's thread and the log reader's thread at once; an implementation
 * must be thread-safe and quick (it runs on those threads).
 */
public interface ClusterObserver {

    /** An append's kind, as the {@code kind} tag says it. */
    enum AppendKind {
        /** An in-process publish, to the messages topic. */
        PUBLISH,
        /** This node's checkpoint, to the sessions topic. */
        CHECKPOINT,
        /** A retained change, to the retained topic. */
        RETAINED,
        /** A session's state in the cluster's table, or its end, to the sessions topic. */
        STATE;

        /** The tag value: the name in lower case. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Observes nothing: the observer until one is set. */
    ClusterObserver NONE = new ClusterObserver() {
        @Override
        public void appended(AppendKind kind, long nanos) {
        }

        @Override
        public void appendFailed(AppendKind kind) {
        }

        @Override
        public void delivered(long millis) {
        }
    };

    /** A record of {@code kind} is durable, {@code nanos} after it was sent. */
    void appended(AppendKind kind, long nanos);

    /** A record of {@code kind} could not be appended. */
    void appendFailed(AppendKind kind);

    /**
     * A message read from the log was handed to this node's sessions, {@code millis} after its origin node
     * received it (the nodes' clocks differ by their skew).
     */
    void delivered(long millis);

    /** A message read from the log was not for this node ({@code tributary.to} names others) and was skipped. */
    default void skipped() {
    }
}
