package io.tributary.broker.session;

import io.tributary.broker.QueueFullPolicy;

/**
 * The per-session bounds from the broker's configuration.
 *
 * @param maxQueued messages a session queues; when an online session's queue is this long, QoS 0 messages
 *     are dropped and publishers of QoS 1/2 messages are paused until it is half as long
 * @param maxQueuedBytes bytes (payload and topic) a session queues, bounding the queue as {@code maxQueued}
 *     does: whichever bound is reached first applies
 * @param maxInFlight outbound QoS 1/2 messages unacknowledged at once, whatever the client allows
 * @param queueFullPolicy what an offline session drops when full, by either bound
 * @param maxSessions sessions the registry holds; a new one beyond this is refused
 */
public record SessionLimits(int maxQueued, int maxQueuedBytes, int maxInFlight, QueueFullPolicy queueFullPolicy,
                            int maxSessions) {

    /** Bounds by message count only, with no cap on sessions. */
    public SessionLimits(int maxQueued, int maxInFlight, QueueFullPolicy queueFullPolicy) {
        this(maxQueued, Integer.MAX_VALUE, maxInFlight, queueFullPolicy, Integer.MAX_VALUE);
    }
}
