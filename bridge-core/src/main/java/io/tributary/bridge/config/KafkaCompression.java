package io.tributary.bridge.config;

import java.util.Locale;

/** How a Kafka connection's producers compress their batches: Kafka's {@code compression.type}. */
public enum KafkaCompression {
    NONE, GZIP, SNAPPY, LZ4, ZSTD;

    /** The value of Kafka's {@code compression.type}. */
    public String kafkaName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
