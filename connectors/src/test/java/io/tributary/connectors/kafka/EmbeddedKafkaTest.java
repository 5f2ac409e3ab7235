package io.tributary.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {
    @TempDir
    Path dataDirectory;

    @Test
    void recordWrittenBeforeARestartIsReadBackAfterItOnTheSamePortAndDirectory() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDirectory(dataDirectory).build()) {
            kafka.start();
            int port = kafka.port();
            kafka.createTopic("telemetry", 1);
            produce(kafka.bootstrapServers(), "telemetry", "d1", "21.5");

            kafka.stop();
            assertFalse(isListening(port), "the port is released on stop");

            kafka.start();
            assertEquals(port, kafka.port());
            List<ConsumerRecord<String, String>> records = consume(kafka.bootstrapServers(), "telemetry", 1);
            assertEquals(1, records.size());
            assertEquals("d1", records.get(0).key());
            assertEquals("21.5", records.get(0).value());
        }
    }

    @Test
    void aNewInstanceOnAnExistingDirectoryFindsTheTopicsOfThePreviousOne() throws Exception {
        try (EmbeddedKafka first = EmbeddedKafka.builder().dataDirectory(dataDirectory).build()) {
            first.start();
            first.createTopic("commands", 2);
            produce(first.bootstrapServers(), "commands", "d2", "reboot");
        }
        try (EmbeddedKafka second = EmbeddedKafka.builder().dataDirectory(dataDirectory).build()) {
            second.start();
            assertEquals("reboot", consume(second.bootstrapServers(), "commands", 1).get(0).value());
        }
    }

    @Test
    void givenPortIsUsedAndListensOnLoopback() throws Exception {
        int port = FreePort.pick();
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDirectory(dataDirectory).port(port).build()) {
            kafka.start();
            assertEquals("127.0.0.1:" + port, kafka.bootstrapServers());
            assertTrue(isListening(port));
        }
    }

    @Test
    void withoutADataDirectoryATemporaryOneIsUsedAndDeletedOnClose() {
        Path directory;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build()) {
            kafka.start();
            directory = kafka.dataDirectory();
            assertTrue(Files.exists(directory.resolve("meta.properties")));
        }
        assertFalse(Files.exists(directory));
    }

    @Test
    void startFailsClearlyWhenThePortIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            EmbeddedKafka kafka = EmbeddedKafka.builder().dataDirectory(dataDirectory)
                    .port(taken.getLocalPort()).startTimeout(Duration.ofSeconds(10)).build();
            EmbeddedKafkaException e = assertThrows(EmbeddedKafkaException.class, kafka::start);
            assertTrue(e.getMessage().contains(Integer.toString(taken.getLocalPort())), e.getMessage());
            assertFalse(kafka.isRunning());
        }
    }

    @Test
    void directoryFormattedForAnotherNodeIsRefusedWithItsPathInTheMessage() {
        try (EmbeddedKafka first = EmbeddedKafka.builder().dataDirectory(dataDirectory).nodeId(1).build()) {
            first.start();
        }
        EmbeddedKafka second = EmbeddedKafka.builder().dataDirectory(dataDirectory).nodeId(2).build();
        EmbeddedKafkaException e = assertThrows(EmbeddedKafkaException.class, second::start);
        assertTrue(e.getMessage().contains(dataDirectory.toString()), e.getMessage());
        assertFalse(second.isRunning());
    }

    @Test
    void nodeIdentityCannotBeOverridden() {
        assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafka.builder().property("listeners", "PLAINTEXT://0.0.0.0:9092"));
    }

    static void produce(String bootstrapServers, String topic, String key, String value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    static List<ConsumerRecord<String, String>> consume(String bootstrapServers, String topic, int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
