package io.tributary.broker;

/**
 * A snapshot of the broker's counters, for metrics and {@code $SYS} topics.
 *
 * @param connections clients connected now
 * @param sessions sessions held now, connected or not
 * @param messagesReceived PUBLISH packets and in-process publishes accepted
 * @param messagesSent PUBLISH packets written to clients and messages handed to in-process handlers
 * @param bytesReceived MQTT bytes read from clients
 * @param bytesSent MQTT bytes written to clients
 * @param droppedQos0 QoS 0 messages dropped because a subscriber's queue was full
 * @param droppedQueueFull QoS 1/2 messages dropped because an offline session's queue was full
 * @param droppedTooLarge messages not sent because they exceeded a client's Maximum Packet Size
 * @param expired messages dropped because their Message Expiry Interval passed while queued
 * @param queued messages waiting in session queues now
 * @param inFlight QoS 1/2 messages sent to clients and not yet acknowledged
 * @param publishersPaused publisher connections whose reading is paused for a slow subscriber now
 */
public record BrokerStats(
        long connections,
        long sessions,
        long messagesReceived,
        long messagesSent,
        long bytesReceived,
        long bytesSent,
        long droppedQos0,
        long droppedQueueFull,
        long droppedTooLarge,
        long expired,
        long queued,
        long inFlight,
        long publishersPaused) {
}
