package io.tributary.broker;

import java.util.Iterator;
import java.util.List;

/**
 * Keeps the last retained message of each topic. The default lives in memory; a durable store
 * plugs in here. Called from every I/O thread at once: implementations must be thread-safe.
 */
public interface RetainedStore {

    /**
     * Stores {@code message} as the retained message of its topic, replacing the previous one, unless that would
     * take the store past its limits.
     *
     * @return false if it was not stored because the store is full
     */
    boolean put(Message message);

    /**
     * True if {@link #put} would store {@code message} now: lets a publisher be refused before its message goes
     * anywhere. Another publisher may fill the store in between, so {@link #put} still decides.
     */
    default boolean hasRoomFor(Message message) {
        return true;
    }

    /** Removes the retained message of {@code topic}, if any [MQTT-3.3.1-6]. */
    void remove(String topic);

    /** The retained messages whose topics match {@code filter} (a valid filter, without a share prefix). */
    List<Message> matching(String filter);

    /**
     * The retained messages matching {@code filter}, walked a step at a time, so that a subscriber can be sent a
     * large match in batches without the whole of it in memory. Messages stored or removed during the walk may or
     * may not be seen. The default walks {@link #matching}'s list.
     */
    default Cursor cursor(String filter) {
        Iterator<Message> matches = matching(filter).iterator();
        return (max, out) -> {
            for (int i = 0; i < max && matches.hasNext(); i++) {
                out.add(matches.next());
            }
            return matches.hasNext();
        };
    }

    /** Every retained message, {@code $} topics included: what a {@link BrokerStateStore} saves when the broker stops. */
    List<Message> all();

    /** How many topics have a retained message. */
    int size();

    /** A walk over the retained messages matching one filter. Used by one thread at a time. */
    interface Cursor {
        /**
         * Adds at most {@code max} further matches to {@code out}; may add fewer (even none) to bound the work of
         * one step.
         *
         * @return false once the walk is over
         */
        boolean next(int max, List<Message> out);
    }
}
