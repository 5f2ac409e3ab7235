package io.tributary.bridge.config;

import java.util.Objects;

/**
 * A whole Tributary configuration, validated. Connections and routes will join the broker here, each read
 * by its own section reader.
 *
 * @param broker the MQTT broker's listeners and limits
 */
public record TributaryConfig(BrokerSettings broker) {

    public TributaryConfig {
        Objects.requireNonNull(broker, "broker");
    }

    /** The configuration of an empty file. */
    public static TributaryConfig defaults() {
        return new TributaryConfig(BrokerSettings.defaults());
    }
}
