package io.tributary.broker.session;

import io.tributary.broker.QueueFullPolicy;

/**
 * The per-session bounds from the broker's configuration.
 *
 * @param maxQueued messages a session queues; when an online session's queue is this long, QoS 0 messages
 *     are dropped and publishers of QoS 1/2 messages are paused until it is half as long
 * @param maxInFlight outbound QoS 1/2 messages unacknowledged at once, whatever the client allows
 * @param queueFullPolicy what an offline session drops when full
 */
public record SessionLimits(int maxQueued, int maxInFlight, QueueFullPolicy queueFullPolicy) {
}
