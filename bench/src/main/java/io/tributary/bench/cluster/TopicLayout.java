package io.tributary.bench.cluster;

/**
 * Which topic each message goes to and which filter each subscriber holds, so that every message has exactly one
 * subscriber and every subscriber gets a share of every publisher: message {@code s} of publisher {@code p} goes to
 * {@code bench/p/k} with {@code k = (p + s) mod subscribers}, and subscriber {@code k} holds {@code bench/+/k}.
 * Probe messages go to {@code bench/probe/k}, which the same filter matches. Immutable.
 */
public record TopicLayout(int subscribers) {

    private static final String PREFIX = "bench/";

    /** The subscriber of message {@code sequence} of publisher {@code publisher}. */
    public int subscriberOf(int publisher, int sequence) {
        return (int) (((long) publisher + sequence) % subscribers);
    }

    public String topicOf(int publisher, int sequence) {
        return PREFIX + publisher + "/" + subscriberOf(publisher, sequence);
    }

    public String filterOf(int subscriber) {
        return PREFIX + "+/" + subscriber;
    }

    public String probeTopicOf(int subscriber) {
        return PREFIX + "probe/" + subscriber;
    }

    /** The layout in words, for the report. */
    public String describe() {
        return "message s of publisher p goes to `bench/p/k` with k = (p + s) mod " + subscribers + ", and subscriber k "
                + "holds the filter `bench/+/k`: every message has exactly one subscriber, and every subscriber gets "
                + "an equal share of every publisher's messages";
    }
}
