package io.tributary.broker;

/** A live in-process subscription; closing it unsubscribes. */
public interface InProcessSubscription extends AutoCloseable {

    /** The topic filter as subscribed. */
    String filter();

    /** Removes the subscription; messages already handed to the handler still complete. */
    @Override
    void close();
}
