package io.tributary.store;

import java.time.Duration;
import java.util.Objects;

/**
 * When a write that promises durability completes.
 *
 * <ul>
 *   <li>{@link #sync()}: once it is on disk (fsync). Writes queued together share one fsync (group commit), so the
 *       cost is per batch, not per write. A crash of the process or of the machine loses nothing completed.</li>
 *   <li>{@link #interval(Duration)}: once the operating system has it (a write, no fsync); the store fsyncs every
 *       {@code interval}. A crash of the process loses nothing completed; a crash of the machine (power, kernel) may
 *       lose what was completed within the last interval.</li>
 * </ul>
 *
 * @param syncInterval {@code null} for sync, else how often the store fsyncs
 */
public record Durability(Duration syncInterval) {

    public Durability {
        if (syncInterval != null && (syncInterval.isNegative() || syncInterval.isZero())) {
            throw new IllegalArgumentException("a sync interval must be positive, was " + syncInterval);
        }
    }

    /** Every durable write is fsynced before it completes; concurrent writes share an fsync. */
    public static Durability sync() {
        return new Durability(null);
    }

    /** Writes complete once the operating system has them; fsync every {@code interval}. */
    public static Durability interval(Duration interval) {
        return new Durability(Objects.requireNonNull(interval, "interval"));
    }

    /** True if a durable write waits for its fsync. */
    public boolean syncsEachWrite() {
        return syncInterval == null;
    }
}
