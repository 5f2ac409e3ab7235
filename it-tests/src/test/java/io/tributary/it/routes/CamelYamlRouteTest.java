package io.tributary.it.routes;

import static io.tributary.it.support.KafkaRecords.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tributary.testsupport.kafka.KafkaServer;
import io.tributary.it.support.KafkaRecords;
import io.tributary.it.support.TestTributary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain Camel YAML DSL file listed under {@code camel-routes} runs beside the configured routes: it consumes
 * from the broker through {@code tributary:} and writes to Kafka at the address of a configured connection.
 */
class CamelYamlRouteTest {

    @TempDir
    Path folder;

    @Test
    void camelYamlRouteFromTributaryToKafkaUsesTheConnectionsBootstrapServers() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        String topic = KafkaServer.uniqueTopic("camel-yaml");
        kafka.createTopic(topic, 1);
        Path file = folder.resolve("extra.yaml");
        Files.writeString(file, """
                - route:
                    id: yaml-to-kafka
                    from:
                      uri: "tributary:yaml/%%23"
                      steps:
                        - to: "kafka:%s?brokers={{tributary.kafka.main.bootstrap-servers}}"
                """.formatted(topic));

        try (TestTributary tributary = TestTributary.start(folder, """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                camel-routes: [ "%s" ]
                """.formatted(kafka.bootstrapServers(), file))) {
            Mqtt5BlockingClient device = tributary.mqtt5("yaml-device");
            Mqtt5PublishResult result = device.publishWith().topic("yaml/a/b").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("from yaml".getBytes(StandardCharsets.UTF_8)).send();
            assertTrue(result.getError().isEmpty(), () -> "PUBACK failed: " + result.getError());
            device.disconnect();

            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.read(kafka.bootstrapServers(), topic, 1,
                    Duration.ofSeconds(30));
            assertFalse(records.isEmpty(), "the Camel YAML route wrote nothing");
            assertEquals("from yaml", text(records.get(0)));
        }
    }
}
