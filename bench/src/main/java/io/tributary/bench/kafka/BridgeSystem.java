package io.tributary.bench.kafka;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One way to get MQTT QoS 1 messages into Kafka, started afresh for every run: an MQTT listener on a free loopback
 * port that forwards {@code bench/+/telemetry} to a given Kafka topic.
 */
public interface BridgeSystem {

    /** A short name for files and options, such as {@code tributary}. */
    String id();

    /** The name shown in reports. */
    String displayName();

    /** The settings that matter for a fair comparison, for the report. */
    String settings();

    /**
     * Starts the system and returns once its MQTT listener accepts connections (its route may still be starting:
     * the runner waits for a probe message to reach Kafka before it measures).
     *
     * @param workDir a fresh folder for its configuration and logs
     * @param pidDir where each of its processes keeps a PID file while it runs
     */
    RunningBridge start(Path workDir, Path pidDir, String bootstrapServers, String kafkaTopic)
            throws IOException, InterruptedException;
}
