package io.tributary.bridge.config;

import java.time.Duration;

/** How a route retries a failed delivery before it gives the message to its dead-letter destination. */
public record RetrySettings(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {

    public RetrySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (multiplier < 1) {
            throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        }
    }

    /** Five attempts, waiting 1 s, 2 s, 4 s and 8 s between them. */
    public static RetrySettings defaults() {
        return new RetrySettings(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));
    }
}
