package io.tributary.bench.raw;

import java.time.Duration;

/**
 * What the raw-socket scenarios send.
 *
 * @param mqttVersion 4 (MQTT 3.1.1) or 5, for every connection
 * @param publishers publishers in the fan-in scenarios (one subscriber)
 * @param payloadBytes payload size, at least {@link PublishBatch#STAMP_BYTES}
 * @param inFlight unacknowledged QoS 1 messages per publisher
 * @param warmUp fan-in time before the measured window
 * @param measure fan-in measured window
 * @param rate messages per second in the latency scenarios
 * @param latencyWarmUp latency time before the measured window (messages then count for loss, not latency)
 * @param latencyMeasure latency measured window
 * @param clients connections per round in the connection-rate scenario
 * @param concurrency handshakes under way at once there (in all threads together)
 * @param connectThreads driver threads that open connections, each with its own selector
 * @param idleClients connections the idle scenario opens and holds
 * @param drainTimeout how long the subscriber may take to receive what was sent, after the publishers stopped
 */
public record RawSettings(int mqttVersion, int publishers, int payloadBytes, int inFlight, Duration warmUp,
                          Duration measure, int rate, Duration latencyWarmUp, Duration latencyMeasure, int clients,
                          int concurrency, int connectThreads, int idleClients, Duration drainTimeout) {

    public RawSettings {
        if (mqttVersion != 4 && mqttVersion != 5) {
            throw new IllegalArgumentException("MQTT version must be 3 (3.1.1) or 5, was " + mqttVersion);
        }
        if (payloadBytes < PublishBatch.STAMP_BYTES) {
            throw new IllegalArgumentException("payload must be at least " + PublishBatch.STAMP_BYTES + " bytes");
        }
        if (publishers < 1 || inFlight < 1 || inFlight > 60_000 || rate < 1 || clients < 1 || concurrency < 1
                || connectThreads < 1 || idleClients < 1) {
            throw new IllegalArgumentException("publishers, in-flight (up to 60,000), rate, clients, concurrency, "
                    + "connect threads and idle clients must be positive");
        }
    }

    /**
     * The numbers to quote: 3 s + 10 s fan-in, 5 s + 20 s at 10,000 msg/s, 1,000 clients 64 at a time on two driver
     * threads, 10,000 idle clients.
     */
    public static RawSettings standard() {
        return new RawSettings(5, 4, 64, 64, Duration.ofSeconds(3), Duration.ofSeconds(10), 10_000,
                Duration.ofSeconds(5), Duration.ofSeconds(20), 1_000, 64, 2, 10_000, Duration.ofSeconds(30));
    }

    /** Short windows to check that everything works: not numbers to quote. */
    public static RawSettings quick() {
        return new RawSettings(5, 4, 64, 64, Duration.ofSeconds(1), Duration.ofSeconds(3), 10_000,
                Duration.ofSeconds(1), Duration.ofSeconds(3), 300, 64, 2, 2_000, Duration.ofSeconds(10));
    }
}
