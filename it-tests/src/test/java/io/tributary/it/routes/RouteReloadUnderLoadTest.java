package io.tributary.it.routes;

import static io.tributary.it.support.KafkaRecords.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.testsupport.kafka.KafkaServer;
import io.tributary.testsupport.await.Await;
import io.tributary.it.support.KafkaRecords;
import io.tributary.it.support.TestTributary;
import io.tributary.routes.RouteChanges;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes swapped by a configuration reload while messages flow through them, against a real Kafka: every
 * message a device had acknowledged, and every record Kafka had, is delivered by the old route or the new one.
 */
class RouteReloadUnderLoadTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path data;
    private TestTributary tributary;

    @AfterEach
    void stop() {
        if (tributary != null) {
            tributary.close();
        }
    }

    @Test
    void everyAcknowledgedMessageReachesKafkaWhileItsRouteIsSwappedBetweenTopics() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        String even = KafkaServer.uniqueTopic("reload-even");
        String odd = KafkaServer.uniqueTopic("reload-odd");
        kafka.createTopic(even, 1);
        kafka.createTopic(odd, 1);
        tributary = TestTributary.start(data, toKafka(kafka, even));

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> publishers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            String clientId = "reloading-" + p;
            Thread publisher = new Thread(() -> publish(clientId, 5_000, acknowledged, failed), clientId);
            publisher.start();
            publishers.add(publisher);
        }
        int reloads = 0;
        while (publishers.stream().anyMatch(Thread::isAlive) && reloads < 8) {
            Thread.sleep(150);
            String topic = reloads % 2 == 0 ? odd : even;
            RouteChanges changes = tributary.bridge().reloadRoutes(
                    TestTributary.load(data, toKafka(kafka, topic)).routes());
            assertEquals(List.of("telemetry"), changes.changed());
            reloads++;
        }
        for (Thread publisher : publishers) {
            publisher.join(TimeUnit.SECONDS.toMillis(120));
        }

        assertTrue(reloads >= 4, "the publishers finished before the route was swapped often: " + reloads);
        assertEquals(0, failed.get(), "PUBACKs that reported a failure");
        assertEquals(10_000, acknowledged.size());
        Set<String> inKafka = new HashSet<>();
        int records = 0;
        for (String topic : List.of(even, odd)) {
            for (ConsumerRecord<String, byte[]> record : KafkaRecords.readUntil(kafka.bootstrapServers(), topic,
                    read -> false, Duration.ofSeconds(5))) {
                inKafka.add(text(record));
                records++;
            }
        }
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(inKafka);
        assertEquals(Set.of(), missing, "acknowledged but in neither topic");
        System.out.printf("reload under load: %d reloads, %d acknowledged, %d records, %d delivered twice%n",
                reloads, acknowledged.size(), records, records - inKafka.size());
    }

    @Test
    @SuppressWarnings("try")
    void everyKafkaRecordReachesTheBrokerWhileItsRouteIsSwapped() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        String topic = KafkaServer.uniqueTopic("reload-commands");
        String group = KafkaServer.uniqueTopic("reload-group");
        kafka.createTopic(topic, 3);
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        AtomicInteger deliveries = new AtomicInteger();
        tributary = TestTributary.start(data, fromKafka(kafka, topic, group, "a"));
        try (InProcessSubscription devices = tributary.broker().subscribe("cmd/#",
                SubscribeOptions.of(QoS.AT_LEAST_ONCE), message -> {
                    delivered.add(message.payloadAsString());
                    deliveries.incrementAndGet();
                    return null;
                })) {
            List<org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>> batch = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                batch.add(KafkaRecords.record(topic, "k" + (i % 50), "r" + i));
            }
            KafkaRecords.produce(kafka.bootstrapServers(), batch);
            Await.until(WAIT, "records flowing", () -> delivered.size() >= 500);

            RouteChanges changes = tributary.bridge().reloadRoutes(
                    TestTributary.load(data, fromKafka(kafka, topic, group, "b")).routes());

            assertEquals(List.of("commands"), changes.changed());
            Await.until(WAIT, "all 5,000 records delivered", () -> delivered.size() == 5_000);
            Await.until(WAIT, "the group's offsets pass every record", () -> committed(kafka, group) == 5_000);
            System.out.printf("Kafka source reload: 5000 records, %d deliveries%n", deliveries.get());
        }
    }

    private void publish(String clientId, int count, Set<String> acknowledged, AtomicInteger failed) {
        Mqtt5AsyncClient client = tributary.mqtt5Async(clientId);
        Semaphore window = new Semaphore(32);
        for (int i = 0; i < count; i++) {
            window.acquireUninterruptibly();
            String id = clientId + ":" + i;
            client.publishWith().topic("load/" + clientId).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(id.getBytes(StandardCharsets.UTF_8)).send()
                    .whenComplete((result, error) -> {
                        if (error == null && result.getError().isEmpty()) {
                            acknowledged.add(id);
                        } else {
                            failed.incrementAndGet();
                        }
                        window.release();
                    });
        }
        window.acquireUninterruptibly(32);
        client.disconnect().join();
    }

    private static long committed(KafkaServer kafka, String group) {
        try {
            return KafkaRecords.committedOffsets(kafka.bootstrapServers(), group).values().stream()
                    .mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String toKafka(KafkaServer kafka, String topic) {
        return """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                routes:
                  - name: telemetry
                    from: { mqtt: "load/{device}" }
                    to: { kafka: { connection: main, topic: "%s", key: "{device}" } }
                """.formatted(kafka.bootstrapServers(), topic);
    }

    private static String fromKafka(KafkaServer kafka, String topic, String group, String prefix) {
        return """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                routes:
                  - name: commands
                    from: { kafka: { connection: main, topic: "%s", group: "%s" } }
                    to: { mqtt: { topic: "cmd/%s/{key}", qos: 1 } }
                """.formatted(kafka.bootstrapServers(), topic, group, prefix);
    }
}
