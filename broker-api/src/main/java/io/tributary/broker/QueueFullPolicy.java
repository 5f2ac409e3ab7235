package io.tributary.broker;

/**
 * What an offline persistent session does with a new QoS 1/2 message when its queue is full, for both
 * {@code Broker.builder()} and the YAML configuration. Either way the dropped message is counted in the broker's
 * {@code BrokerStats.droppedQueueFull()}. Online subscribers never
 * drop QoS 1/2 messages: the broker stops reading from publishers until they catch up.
 */
public enum QueueFullPolicy {
    /** Keep what is queued and drop the new message (the default: the oldest data reaches the device). */
    DROP_NEW,
    /** Drop the oldest queued message to make room (the newest data reaches the device). */
    DROP_OLDEST
}
