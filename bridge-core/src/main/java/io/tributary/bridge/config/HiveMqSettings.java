package io.tributary.bridge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * What Tributary's HiveMQ extension reads from the {@code hivemq} section.
 *
 * @param holdTimeout how long a device's QoS 1/2 publish is held for the routes' sinks
 */
public record HiveMqSettings(Duration holdTimeout) {

    public HiveMqSettings {
        Objects.requireNonNull(holdTimeout, "holdTimeout");
    }

    /** Every key at its default. */
    public static HiveMqSettings defaults() {
        return new HiveMqSettings(HiveMqKeys.HOLD_TIMEOUT.defaultValue());
    }
}
