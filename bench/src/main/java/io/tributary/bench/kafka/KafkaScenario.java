package io.tributary.bench.kafka;

import java.util.List;
import java.util.Locale;

/**
 * One MQTT → Kafka load shape: every publisher publishes at QoS 1 to {@code bench/<index>/telemetry}, as fast as
 * its in-flight window allows or at a fixed rate, and the driver reads the records back from Kafka.
 */
public enum KafkaScenario {

    /** As fast as PUBACKs come back: throughput, and whether acknowledged messages reach Kafka. */
    KAFKA_QOS1("kafka-qos1", false),
    /** A fixed rate both systems sustain: end-to-end latency and CPU at equal load. */
    KAFKA_QOS1_PACED("kafka-qos1-paced", true);

    public static final List<KafkaScenario> ALL = List.of(values());

    private final String id;
    private final boolean paced;

    KafkaScenario(String id, boolean paced) {
        this.id = id;
        this.paced = paced;
    }

    public String id() {
        return id;
    }

    public boolean paced() {
        return paced;
    }

    /** Publishes per second per publisher, or 0 for as fast as the in-flight window allows. */
    public int ratePerPublisher(KafkaLoadSettings settings) {
        return paced ? settings.pacedRatePerPublisher() : 0;
    }

    /** The MQTT topic publisher {@code index} publishes to. */
    public static String topicOf(int index) {
        return "bench/" + index + "/telemetry";
    }

    public String description(KafkaLoadSettings settings) {
        return String.format(Locale.ROOT, "%d publishers → QoS 1 → Kafka topic, %s", settings.publishers(),
                paced ? String.format(Locale.ROOT, "%,d msg/s each (%,d msg/s in all)",
                        settings.pacedRatePerPublisher(), settings.pacedRatePerPublisher() * settings.publishers())
                        : "as fast as PUBACKs allow (" + settings.inFlight() + " in flight each)");
    }
}
