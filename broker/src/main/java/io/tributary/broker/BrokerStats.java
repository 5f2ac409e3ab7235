package io.tributary.broker;

/**
 * A snapshot of the broker's counters, for metrics and {@code $SYS} topics.
 *
 * @param connections clients connected now
 * @param sessions sessions held now, connected or not
 * @param messagesReceived PUBLISH packets and in-process publishes accepted
 * @param messagesSent PUBLISH packets written to clients and messages handed to in-process handlers
 * @param messagesReceivedByQos {@code messagesReceived} by the QoS they were published with
 * @param messagesSentByQos {@code messagesSent} by the QoS they were delivered at (the lower of the published
 *     and the subscription's QoS)
 * @param bytesReceived MQTT bytes read from clients
 * @param bytesSent MQTT bytes written to clients
 * @param droppedQos0 QoS 0 messages dropped because a subscriber's queue was full
 * @param droppedQueueFull messages dropped because an offline session's queue was full, or that of an online one
 *     found stuck
 * @param droppedTooLarge messages not sent because they exceeded a client's Maximum Packet Size
 * @param expired messages dropped because their Message Expiry Interval passed while queued
 * @param queued messages waiting in session queues now
 * @param queuedOnDisk of {@code queued}, those held on disk only (offline persistent sessions, or sessions catching
 *     up on what waited on disk), not in memory
 * @param inFlight QoS 1/2 messages sent to clients and not yet acknowledged
 * @param publishersPaused publisher connections whose reading is paused for a slow subscriber now
 * @param retainedRefused retained messages not stored because the retained store was at its limits
 * @param droppedNotAuthorized publishes refused because the client may not publish to the topic (MQTT 5: PUBACK or
 *     PUBREC 0x87; MQTT 3.1.1: acknowledged and dropped)
 * @param stuckSubscribers times a client took nothing from its full queue for the stuck-subscriber timeout and
 *     stopped holding its publishers (disconnected, or its persistent session overflowing)
 * @param queueBudgetFull messages that found the broker-wide queue budget ({@code max-queued-bytes-total}) full
 *     while their session's own queue had room: each made its publisher wait, or was dropped (QoS 0 under
 *     {@code qos0-when-full: drop}, an offline session's by {@code queue-full-policy}; those are also counted in
 *     {@code droppedQos0} or {@code droppedQueueFull})
 * @param queuedMemoryBytes what the sessions hold in memory now, queued or in flight, as the budget counts it:
 *     payload, topic and a fixed allowance per message for the broker's bookkeeping
 */
public record BrokerStats(
        long connections,
        long sessions,
        long messagesReceived,
        long messagesSent,
        QosCounts messagesReceivedByQos,
        QosCounts messagesSentByQos,
        long bytesReceived,
        long bytesSent,
        long droppedQos0,
        long droppedQueueFull,
        long droppedTooLarge,
        long expired,
        long queued,
        long queuedOnDisk,
        long inFlight,
        long publishersPaused,
        long retainedRefused,
        long droppedNotAuthorized,
        long stuckSubscribers,
        long queueBudgetFull,
        long queuedMemoryBytes) {

    /**
     * A count of messages split by QoS.
     *
     * @param atMostOnce at QoS 0
     * @param atLeastOnce at QoS 1
     * @param exactlyOnce at QoS 2
     */
    public record QosCounts(long atMostOnce, long atLeastOnce, long exactlyOnce) {
        /** The count at {@code qos}. */
        public long at(QoS qos) {
            return switch (qos) {
                case AT_MOST_ONCE -> atMostOnce;
                case AT_LEAST_ONCE -> atLeastOnce;
                case EXACTLY_ONCE -> exactlyOnce;
            };
        }

        /** The count at every QoS together. */
        public long total() {
            return atMostOnce + atLeastOnce + exactlyOnce;
        }
    }
}
