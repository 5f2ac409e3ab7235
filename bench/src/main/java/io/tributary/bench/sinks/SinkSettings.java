package io.tributary.bench.sinks;

import io.tributary.bench.kafka.KafkaLoadSettings;
import java.time.Duration;
import java.util.List;

/**
 * How the route-sink benchmark loads Tributary and configures its sinks, the same for every run.
 *
 * @param load the MQTT QoS 1 load of the Kafka benchmark (publishers, windows, payload, in flight), reused as it is
 *     so that the optional MQTT → Kafka run of the same benchmark is comparable
 * @param batchSizes the {@code batch.size} of the SQL route, one run each
 * @param batchTime the SQL route's {@code batch.time}
 * @param webhookConcurrency the webhook route's {@code concurrency}
 * @param webhookThreads threads of the driver's HTTP server that answer the webhook's requests
 */
public record SinkSettings(KafkaLoadSettings load, List<Integer> batchSizes, Duration batchTime,
                           int webhookConcurrency, int webhookThreads) {

    public SinkSettings {
        batchSizes = List.copyOf(batchSizes);
        if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(size -> size < 1 || size > 10_000)) {
            throw new IllegalArgumentException("batch sizes must be 1-10000, as the route allows");
        }
        if (batchTime.isNegative()) {
            throw new IllegalArgumentException("the batch time must not be negative");
        }
        if (webhookConcurrency < 1 || webhookConcurrency > 256) {
            throw new IllegalArgumentException("the webhook concurrency must be 1-256, as the route allows");
        }
        if (webhookThreads < 1) {
            throw new IllegalArgumentException("the webhook server needs at least one thread");
        }
    }

    /**
     * 16 publishers with 64 publishes in flight each (1,024 in flight in all: enough to fill batches of several
     * hundred rows), 128-byte JSON payloads, 15 s warm-up and 10 s measured per run; batches of 50, 500 and 2,000
     * rows written at the latest 20 ms after their first row; a webhook with 16 requests in flight.
     */
    public static SinkSettings standard() {
        return new SinkSettings(new KafkaLoadSettings(16, Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 128, 64, 2500, 4, 1), List.of(50, 500, 2000), Duration.ofMillis(20), 16, 16);
    }

    /** 5 s warm-up and 5 s measured: to check that everything runs, not for numbers to quote (JIT still busy). */
    public static SinkSettings quick() {
        SinkSettings standard = standard();
        return new SinkSettings(standard.load().quickTimeline(), standard.batchSizes(), standard.batchTime(),
                standard.webhookConcurrency(), standard.webhookThreads());
    }
}
