package io.tributary.it.routes;

import static io.tributary.it.support.KafkaRecords.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tributary.it.support.KafkaRecords;
import io.tributary.it.support.TestTributary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An {@code embedded} Kafka connection starts Kafka inside Tributary, keeps its data under the data directory, and routes write to it. */
class EmbeddedKafkaRouteTest {

    @TempDir
    Path data;

    @Test
    void embeddedKafkaStartsUnderTheDataDirectoryAndARouteWritesToIt() throws Exception {
        try (TestTributary tributary = TestTributary.start(data, """
                connections:
                  kafka:
                    main: { embedded: true, port: 0 }
                routes:
                  - name: to-embedded
                    from: { mqtt: "embedded/{device}" }
                    to: { kafka: { connection: main, topic: "embedded-telemetry", key: "{device}" } }
                """)) {
            String bootstrapServers = tributary.bridge().bootstrapServers("main");
            assertTrue(bootstrapServers.startsWith("127.0.0.1:") && !bootstrapServers.endsWith(":0"), bootstrapServers);

            Mqtt5BlockingClient device = tributary.mqtt5("embedded-device");
            Mqtt5PublishResult result = device.publishWith().topic("embedded/d1").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("21.5".getBytes(StandardCharsets.UTF_8)).send();
            assertTrue(result.getError().isEmpty(), () -> "PUBACK failed: " + result.getError());
            device.disconnect();

            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.read(bootstrapServers, "embedded-telemetry", 1,
                    Duration.ofSeconds(30));
            assertFalse(records.isEmpty(), "nothing in the embedded Kafka");
            assertEquals("d1", records.get(0).key());
            assertEquals("21.5", text(records.get(0)));

            Path partition = data.resolve("kafka-main").resolve("embedded-telemetry-0");
            assertTrue(Files.isDirectory(partition), "no partition log under the data directory: " + partition);
            try (Stream<Path> files = Files.list(partition)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".log")), "no log segment");
            }
        }
    }
}
