package io.tributary.bench.kafka;

import java.time.Duration;

/**
 * How hard and how long the driver pushes in the MQTT → Kafka benchmark, the same for every system in a run.
 *
 * @param publishers MQTT clients publishing at QoS 1, each to {@code bench/<index>/telemetry}
 * @param warmUp publishing before the measured window starts (JIT, connections, Kafka's first batches)
 * @param measure the measured window; rates are counted within it
 * @param drainTimeout after publishing stops, how long to wait at most for acknowledgements and records
 * @param payloadBytes size of every payload, at least {@link #MIN_PAYLOAD_BYTES} (the HiveMQ-client driver's JSON
 *     needs {@link TelemetryPayload#MIN_BYTES})
 * @param inFlight publishes outstanding (without PUBACK) per publisher
 * @param pacedRatePerPublisher publishes per second per publisher in the paced scenario
 * @param partitions partitions of every topic the systems write to
 * @param clientIoThreads Netty threads shared by the driver's MQTT clients, or 0 for the library's default
 */
public record KafkaLoadSettings(int publishers, Duration warmUp, Duration measure, Duration drainTimeout,
                                int payloadBytes, int inFlight, int pacedRatePerPublisher, int partitions,
                                int clientIoThreads) {

    /** The smallest payload any driver writes: the raw driver's stamp. */
    public static final int MIN_PAYLOAD_BYTES = 40;

    public KafkaLoadSettings {
        if (publishers < 1) {
            throw new IllegalArgumentException("publishers must be at least 1");
        }
        if (payloadBytes < MIN_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payloadBytes must be at least " + MIN_PAYLOAD_BYTES);
        }
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be at least 1");
        }
        if (pacedRatePerPublisher < 1) {
            throw new IllegalArgumentException("the paced rate must be at least 1 msg/s");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1");
        }
        if (clientIoThreads < 0) {
            throw new IllegalArgumentException("clientIoThreads must not be negative");
        }
    }

    /**
     * 20 s warm-up, 15 s measured, 30 s drain at most. The warm-up is long because every process on the path is a
     * fresh JVM but Mosquitto: measured on the two-core machine at 4,000 msg/s, Tributary had a p50 of 9-12 ms after
     * 5 s of warm-up (the baseline 2-3 ms) and both below 1 ms after 30 s, the JIT compilers sharing the cores.
     */
    public static KafkaLoadSettings standard() {
        return new KafkaLoadSettings(4, Duration.ofSeconds(20), Duration.ofSeconds(15), Duration.ofSeconds(30),
                128, 64, 2500, 4, 1);
    }

    /** 5 s warm-up, 5 s measured, 20 s drain at most: for a look, not for numbers to quote (JIT still busy). */
    public static KafkaLoadSettings quick() {
        return standard().quickTimeline();
    }

    /** The same load with the quick time line: 5 s warm-up, 5 s measured, 20 s drain at most. */
    public KafkaLoadSettings quickTimeline() {
        return new KafkaLoadSettings(publishers, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(20),
                payloadBytes, inFlight, pacedRatePerPublisher, partitions, clientIoThreads);
    }
}
