package io.tributary.bridge.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the producers of one Kafka connection batch their records: the keys {@code linger}, {@code batch-size},
 * {@code compression} and {@code max-in-flight} of {@code connections.kafka.<name>}. Only throughput and latency
 * depend on them; {@code acks=all} and idempotence stay whatever they are.
 *
 * @param linger how long a batch waits for more records before it is sent (Kafka's {@code linger.ms})
 * @param batchSize the most bytes of records per partition in one batch (Kafka's {@code batch.size})
 * @param maxInFlight produce requests without an answer per Kafka broker, 1-5 so that idempotence keeps the order
 */
public record KafkaProducerSettings(Duration linger, int batchSize, KafkaCompression compression, int maxInFlight) {

    /** The defaults, the values the keys' declarations in {@link ConnectionKeys} carry. */
    public static final KafkaProducerSettings DEFAULTS = new KafkaProducerSettings(
            ConnectionKeys.LINGER.defaultValue(), ConnectionKeys.BATCH_SIZE.defaultValue(),
            ConnectionKeys.COMPRESSION.defaultValue(), ConnectionKeys.MAX_IN_FLIGHT.defaultValue());

    public KafkaProducerSettings {
        Objects.requireNonNull(linger, "linger");
        Objects.requireNonNull(compression, "compression");
        if (linger.isNegative() || batchSize < 0 || maxInFlight < 1
                || maxInFlight > GuaranteedKafkaProperties.MAX_IN_FLIGHT) {
            throw new IllegalArgumentException("producer settings out of range: " + linger + ", " + batchSize
                    + ", " + maxInFlight);
        }
    }
}
