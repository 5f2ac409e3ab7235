package io.tributary.broker;

import java.util.List;

/**
 * Keeps the last retained message of each topic. The default lives in memory; a durable store
 * plugs in here. Called from every I/O thread at once: implementations must be thread-safe.
 */
public interface RetainedStore {

    /** Stores {@code message} as the retained message of its topic, replacing the previous one. */
    void put(Message message);

    /** Removes the retained message of {@code topic}, if any [MQTT-3.3.1-6]. */
    void remove(String topic);

    /** The retained messages whose topics match {@code filter} (a valid filter, without a share prefix). */
    List<Message> matching(String filter);

    /** Every retained message, {@code $} topics included: what a {@link BrokerStateStore} saves when the broker stops. */
    List<Message> all();

    /** How many topics have a retained message. */
    int size();
}
