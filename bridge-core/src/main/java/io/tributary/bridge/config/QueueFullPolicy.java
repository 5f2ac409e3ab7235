package io.tributary.bridge.config;

/** What an offline session drops when its message queue is full. */
public enum QueueFullPolicy {
    /** Keep what is queued and drop the new message. */
    DROP_NEW,
    /** Drop the oldest queued message to make room for the new one. */
    DROP_OLDEST
}
