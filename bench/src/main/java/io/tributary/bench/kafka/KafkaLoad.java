package io.tributary.bench.kafka;

import io.tributary.testsupport.kafka.KafkaServer;

/**
 * The driver of one MQTT → Kafka run: publishes into a started system, reads its Kafka topic, and measures. The
 * HiveMQ-client driver ({@link KafkaScenarioRunner}) is the realistic one; the raw-socket one costs the machine
 * almost nothing, so that the system under test and Kafka get the cores.
 */
public interface KafkaLoad {

    /** A line for the report: who publishes, how. */
    String describe(KafkaLoadSettings settings);

    KafkaRunResult run(String system, RunningBridge bridge, KafkaServer kafka, String topic, KafkaScenario scenario)
            throws InterruptedException;
}
