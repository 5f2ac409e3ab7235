package io.tributary.bench.sinks;

/** The parts of the route-sink benchmark, chosen with {@code --scenarios}. */
public enum SinkScenario {

    /** MQTT QoS 1 → PostgreSQL table, one run per batch size. */
    SQL("sql", "MQTT QoS 1 → PostgreSQL table"),
    /** MQTT QoS 1 → a webhook served by the driver. */
    WEBHOOK("webhook", "MQTT QoS 1 → webhook"),
    /** For context: MQTT QoS 1 → Kafka with the same load (the Kafka benchmark's {@code kafka-qos1}). */
    KAFKA("kafka", "MQTT QoS 1 → Kafka, for context");

    private final String id;
    private final String title;

    SinkScenario(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }
}
