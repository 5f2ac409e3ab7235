package io.tributary.bridge.config;

import java.time.Duration;
import java.util.List;

/**
 * The declaration of every key of the {@code hivemq} section, which only Tributary's HiveMQ extension reads:
 * {@code tributary run} refuses the section.
 */
public final class HiveMqKeys {

    public static final ConfigKey<Duration> HOLD_TIMEOUT = ConfigKey.of("hold-timeout",
            ValueTypes.durationAtLeast(Duration.ofSeconds(1)), Duration.ofMinutes(10),
            "How long HiveMQ holds a device's QoS 1/2 publish for the routes' sinks. When it expires, an MQTT 5 "
                    + "device gets PUBACK/PUBREC 0x80 (Unspecified error) and an MQTT 3.1.1 device is disconnected, "
                    + "so that it sends again; HiveMQ's subscribers do not get the message, while the route keeps "
                    + "delivering it (at least once). The default outlasts a Kafka sink's retries.");

    /** The {@code hivemq} mapping. */
    public static final ConfigSection HIVEMQ = new ConfigSection(
            "Tributary running as an extension inside HiveMQ; `tributary run` refuses this section.",
            List.of(HOLD_TIMEOUT));

    private HiveMqKeys() {
    }
}
