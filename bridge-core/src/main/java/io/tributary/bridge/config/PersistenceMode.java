package io.tributary.bridge.config;

/** How the broker keeps its state ({@code broker.persistence}); see the key's documentation. */
public enum PersistenceMode {
    /** Written as it changes; an acknowledgement waits for the fsync (group commit). */
    SYNC,
    /** Written as it changes; an acknowledgement waits for the write, fsync on an interval. */
    INTERVAL,
    /** Nothing written. */
    MEMORY
}
