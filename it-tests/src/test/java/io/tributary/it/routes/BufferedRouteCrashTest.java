package io.tributary.it.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tributary.it.support.KafkaRecords;
import io.tributary.it.support.TributaryChild;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.kafka.KafkaServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tributary killed like {@code kill -9} while a route with {@code ack: buffer} holds acknowledged messages that
 * Kafka, stopped, has not got: after a restart on the same data directory the route forwards them, and every
 * acknowledged message is in Kafka, in each publisher's order.
 */
class BufferedRouteCrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(BufferedRouteCrashTest.class);
    private static final int PER_PUBLISHER = 300;

    @TempDir
    static Path work;
    static KafkaServer kafka;
    static String topic;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaServer.startDedicated("buffer-crash");
        topic = KafkaServer.uniqueTopic("buffer-crash");
        kafka.createTopic(topic, 2);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aKilledTributaryForwardsEveryAcknowledgedMessageAfterItsRestart() throws Exception {
        Path data = work.resolve("data");
        String yaml = """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                routes:
                  - name: crash
                    from: { mqtt: "crash/{publisher}" }
                    to: { kafka: { connection: main, topic: "%s", key: "{publisher}" } }
                    ack: buffer
                """.formatted(kafka.bootstrapServers(), topic);
        Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
        try (TributaryChild first = TributaryChild.start("tributary-1", data, yaml, work)) {
            List<Mqtt5AsyncClient> devices = List.of(device(first, "p0"), device(first, "p1"));
            publish(devices.get(0), "p0", "warm").join();
            KafkaRecords.read(kafka.bootstrapServers(), topic, 1, Duration.ofSeconds(60));
            kafka.stop();
            try {
                for (int i = 0; i < PER_PUBLISHER; i++) {
                    for (int p = 0; p < devices.size(); p++) {
                        String id = "p" + p;
                        String text = id + ":" + i;
                        publish(devices.get(p), id, text).thenRun(() ->
                                acknowledged.computeIfAbsent(id, k -> java.util.Collections.synchronizedList(
                                        new ArrayList<>())).add(text));
                    }
                }
                Await.until(Duration.ofSeconds(60), "every message acknowledged while Kafka is stopped",
                        () -> acknowledged.values().stream().mapToInt(List::size).sum() == 2 * PER_PUBLISHER);
                first.kill();
            } finally {
                kafka.start();
            }
        }

        try (TributaryChild second = TributaryChild.start("tributary-2", data, yaml, work)) {
            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readUntil(kafka.bootstrapServers(), topic,
                    got -> got.stream().map(KafkaRecords::text).distinct().count() >= 2 * PER_PUBLISHER + 1,
                    Duration.ofSeconds(120));
            List<String> texts = records.stream().map(KafkaRecords::text).toList();
            Map<String, Integer> copies = new HashMap<>();
            texts.forEach(t -> copies.merge(t, 1, Integer::sum));
            LOG.info("After kill -9 and restart (pid {}): {} records for {} acknowledged messages, {} duplicated",
                    second.pid(), texts.size(), 2 * PER_PUBLISHER, copies.values().stream().filter(n -> n > 1).count());
            for (String id : List.of("p0", "p1")) {
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < PER_PUBLISHER; i++) {
                    expected.add(id + ":" + i);
                }
                assertEquals(PER_PUBLISHER, acknowledged.get(id).size());
                Map<String, Boolean> firsts = new LinkedHashMap<>();
                texts.stream().filter(t -> t.startsWith(id + ":")).forEach(t -> firsts.putIfAbsent(t, true));
                assertEquals(expected, List.copyOf(firsts.keySet()),
                        id + ": every acknowledged message in Kafka after the restart, in order");
            }
            assertTrue(copies.containsKey("warm"));
        }
    }

    private static Mqtt5AsyncClient device(TributaryChild tributary, String id) {
        Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(id)
                .serverHost("127.0.0.1").serverPort(tributary.mqttPort()).buildAsync();
        client.connect().orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    private static java.util.concurrent.CompletableFuture<?> publish(Mqtt5AsyncClient client, String id, String text) {
        return client.publishWith().topic("crash/" + id).qos(MqttQos.AT_LEAST_ONCE)
                .payload(text.getBytes(StandardCharsets.UTF_8)).send()
                .thenAccept(result -> result.getError().ifPresent(e -> {
                    throw new IllegalStateException(e);
                }));
    }
}
