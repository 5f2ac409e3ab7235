package io.tributary.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.bridge.config.KafkaCompression;
import io.tributary.bridge.config.KafkaConnectionSettings;
import io.tributary.bridge.config.KafkaProducerSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The properties a route's Kafka producer is created with: the connection's producer settings and the guarantees. */
class KafkaEndpointsTest {

    @Test
    void producerSettingsOfTheConnectionReachTheProducer() throws Exception {
        Properties properties = producerProperties(new KafkaConnectionSettings("main", "127.0.0.1:9092", false, 0,
                Map.of(), new KafkaProducerSettings(Duration.ofMillis(7), 131_072, KafkaCompression.LZ4, 2)));

        assertEquals("7", String.valueOf(properties.get(ProducerConfig.LINGER_MS_CONFIG)));
        assertEquals("131072", String.valueOf(properties.get(ProducerConfig.BATCH_SIZE_CONFIG)));
        assertEquals("lz4", String.valueOf(properties.get(ProducerConfig.COMPRESSION_TYPE_CONFIG)));
        assertEquals("2", String.valueOf(properties.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)));
        assertEquals("all", String.valueOf(properties.get(ProducerConfig.ACKS_CONFIG)));
        assertEquals("true", String.valueOf(properties.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)));
    }

    @Test
    void withoutProducerKeysKafkasOwnDefaultsApply() throws Exception {
        Properties properties = producerProperties(KafkaConnectionSettings.external("main", "127.0.0.1:9092"));

        assertEquals("0", String.valueOf(properties.get(ProducerConfig.LINGER_MS_CONFIG)));
        assertEquals("16384", String.valueOf(properties.get(ProducerConfig.BATCH_SIZE_CONFIG)));
        assertEquals("none", String.valueOf(properties.get(ProducerConfig.COMPRESSION_TYPE_CONFIG)));
        assertEquals("5", String.valueOf(properties.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)));
    }

    @Test
    void aPropertyOfTheConnectionStillApplies() throws Exception {
        Properties properties = producerProperties(new KafkaConnectionSettings("main", "127.0.0.1:9092", false, 0,
                Map.of("linger.ms", "9")));

        assertEquals("9", String.valueOf(properties.get(ProducerConfig.LINGER_MS_CONFIG)));
    }

    private static Properties producerProperties(KafkaConnectionSettings connection) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            KafkaEndpoints endpoints = new KafkaEndpoints(context, name -> connection,
                    c -> c.bootstrapServers());
            return endpoints.producer("main", "telemetry").getConfiguration().createProducerProperties();
        }
    }
}
