package io.tributary.bridge.config;

import java.util.Map;
import java.util.Objects;

/**
 * One named Kafka cluster that routes read from and write to: either an external one reached through
 * {@code bootstrap-servers}, or a single-node Kafka that Tributary runs inside its own process.
 *
 * @param bootstrapServers {@code null} when embedded
 * @param embeddedPort the port the embedded Kafka listens on (on 127.0.0.1); 0 picks a free one
 * @param producer how the routes' producers batch, compress and pipeline their records
 */
public record KafkaConnectionSettings(String name, String bootstrapServers, boolean embedded, int embeddedPort,
                                      Map<String, String> properties, KafkaProducerSettings producer) {

    public KafkaConnectionSettings {
        Objects.requireNonNull(name, "name");
        if (embedded == (bootstrapServers != null)) {
            throw new IllegalArgumentException("a Kafka connection is either embedded or has bootstrap servers");
        }
        properties = Map.copyOf(properties);
        Objects.requireNonNull(producer, "producer");
    }

    /** With the default producer settings. */
    public KafkaConnectionSettings(String name, String bootstrapServers, boolean embedded, int embeddedPort,
                                   Map<String, String> properties) {
        this(name, bootstrapServers, embedded, embeddedPort, properties, KafkaProducerSettings.DEFAULTS);
    }

    /** A connection to an external cluster. */
    public static KafkaConnectionSettings external(String name, String bootstrapServers) {
        return new KafkaConnectionSettings(name, bootstrapServers, false, 0, Map.of());
    }

    /** A connection to a Kafka broker started inside Tributary, on {@code port}. */
    public static KafkaConnectionSettings embedded(String name, int port) {
        return new KafkaConnectionSettings(name, null, true, port, Map.of());
    }
}
