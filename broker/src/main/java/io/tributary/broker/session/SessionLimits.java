package io.tributary.broker.session;

import io.tributary.broker.QueueFullPolicy;
import io.tributary.broker.SlowSubscribers;

/**
 * The per-session bounds from the broker's configuration.
 *
 * @param maxQueued messages a session queues; when an online session's queue is this long, its publishers
 *     are paused until it is half as long (QoS 0 messages may be dropped instead, see {@code slowSubscribers})
 * @param maxQueuedBytes bytes (payload and topic) a session queues, bounding the queue as {@code maxQueued}
 *     does: whichever bound is reached first applies
 * @param maxInFlight outbound QoS 1/2 messages unacknowledged at once, whatever the client allows
 * @param queueFullPolicy what an offline session drops when full, by either bound
 * @param maxSessions sessions the registry holds; a new one beyond this is refused
 * @param slowSubscribers what an online session whose queue is full does with QoS 0 messages, and how long it
 *     may hold publishers without taking anything
 * @param maxQueuedBytesTotal bytes all sessions' queues hold in memory together (see {@link QueueBudget}); when
 *     reached, every session's queue is full
 */
public record SessionLimits(int maxQueued, int maxQueuedBytes, int maxInFlight, QueueFullPolicy queueFullPolicy,
                            int maxSessions, SlowSubscribers slowSubscribers, long maxQueuedBytesTotal) {

    /** Without a broker-wide bound on what the queues hold together. */
    public SessionLimits(int maxQueued, int maxQueuedBytes, int maxInFlight, QueueFullPolicy queueFullPolicy,
                         int maxSessions, SlowSubscribers slowSubscribers) {
        this(maxQueued, maxQueuedBytes, maxInFlight, queueFullPolicy, maxSessions, slowSubscribers, Long.MAX_VALUE);
    }

    /** Bounds by message count only, with no cap on sessions and the default handling of slow subscribers. */
    public SessionLimits(int maxQueued, int maxInFlight, QueueFullPolicy queueFullPolicy) {
        this(maxQueued, Integer.MAX_VALUE, maxInFlight, queueFullPolicy, Integer.MAX_VALUE, SlowSubscribers.DEFAULTS);
    }
}
