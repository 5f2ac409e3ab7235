package io.tributary.bridge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of a route's on-disk buffer ({@code ack: buffer}) and what happens when one is reached.
 *
 * @param maxMessages messages the buffer holds at most
 * @param maxBytes bytes (payload, topic and properties) the buffer holds at most
 * @param maxAge once the oldest message waited this long, the buffer counts as full: the sink has not kept up for
 *     that long, and taking more would only make the wait longer
 * @param whenFull what a new QoS 1/2 message meets while the buffer is full
 * @param unreadyAtPercent {@code /health/ready} reports the route once any bound is used to this percent
 * @param publisherWindow messages of one publisher in the route at once; 1 keeps each publisher's order through
 *     every retry
 */
public record BufferSettings(long maxMessages, long maxBytes, Duration maxAge, WhenFull whenFull,
                             int unreadyAtPercent, int publisherWindow) {

    /** What a full buffer does with a new QoS 1/2 message; a QoS 0 message is dropped and counted either way. */
    public enum WhenFull {
        /** The message waits, in memory, for room; its publisher's acknowledgement waits with it (back-pressure). */
        HOLD,
        /** MQTT 5: PUBACK/PUBREC 0x97 (quota exceeded); an MQTT 3.1.1 publisher is disconnected, as for a failure. */
        REFUSE
    }

    public BufferSettings {
        if (maxMessages < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("buffer bounds must be positive: " + maxMessages + ", " + maxBytes);
        }
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(whenFull, "whenFull");
        if (unreadyAtPercent < 1 || unreadyAtPercent > 100) {
            throw new IllegalArgumentException("unreadyAtPercent must be 1-100, was " + unreadyAtPercent);
        }
        if (publisherWindow < 1) {
            throw new IllegalArgumentException("publisherWindow must be at least 1, was " + publisherWindow);
        }
    }

    /** A million messages, 1 GiB, a day; holding when full; unready at 80 %; one message per publisher at a time. */
    public static BufferSettings defaults() {
        return new BufferSettings(1_000_000, 1L << 30, Duration.ofHours(24), WhenFull.HOLD, 80, 1);
    }
}
