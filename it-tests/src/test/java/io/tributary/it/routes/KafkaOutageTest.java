package io.tributary.it.routes;

import static io.tributary.it.support.KafkaRecords.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tributary.testsupport.kafka.KafkaServer;
import io.tributary.testsupport.await.Await;
import io.tributary.it.support.KafkaRecords;
import io.tributary.it.support.TestTributary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka killed like {@code kill -9} while devices publish at QoS 1, then started again: no message that got a
 * PUBACK is lost. The publishers never stop; their PUBACKs simply wait while Kafka is away.
 */
class KafkaOutageTest {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaOutageTest.class);

    @TempDir
    static Path data;
    static KafkaServer kafka;
    static TestTributary tributary;
    static String topic;

    @BeforeAll
    static void start() {
        kafka = KafkaServer.startDedicated("outage");
        topic = KafkaServer.uniqueTopic("outage");
        kafka.createTopic(topic, 2);
        tributary = TestTributary.start(data, """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                routes:
                  - name: outage
                    from: { mqtt: "outage/{publisher}" }
                    to: { kafka: { connection: main, topic: "%s", key: "{publisher}" } }
                """.formatted(kafka.bootstrapServers(), topic));
    }

    @AfterAll
    static void stop() {
        try {
            if (tributary != null) {
                tributary.close();
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    @Test
    void everyAcknowledgedQos1MessageIsInKafkaAfterKafkaWasKilledAndRestarted() throws Exception {
        int publishers = 2;
        int perPublisher = 10_000;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong longestWaitNanos = new AtomicLong();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            String id = "publisher-" + p;
            done.add(CompletableFuture.runAsync(() ->
                    publish(id, perPublisher, acknowledged, failed, longestWaitNanos)));
        }

        Await.until(Duration.ofSeconds(60), "2,000 PUBACKs before the kill", () -> acknowledged.size() >= 2_000);
        kafka.kill();
        int ackedAtKill = acknowledged.size();
        long killedAt = System.nanoTime();
        kafka.start();
        int ackedAtRestart = acknowledged.size();
        long restartedAt = System.nanoTime();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);

        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readUntil(kafka.bootstrapServers(), topic,
                got -> got.size() >= acknowledged.size() && got.stream().map(KafkaRecords::text).distinct().count()
                        >= acknowledged.size(), Duration.ofSeconds(60));
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            copies.merge(text(record), 1, Integer::sum);
        }
        List<String> missing = acknowledged.stream().filter(id -> !copies.containsKey(id)).sorted().toList();
        long duplicated = copies.values().stream().filter(n -> n > 1).count();
        LOG.info("Kafka killed after {} PUBACKs and back {} ms later (PUBACKs meanwhile: {}); {} published, {} "
                        + "acknowledged, {} failed PUBACKs, longest PUBACK wait {} ms; {} records, {} duplicated, "
                        + "{} acknowledged but missing",
                ackedAtKill, millis(killedAt, restartedAt), ackedAtRestart - ackedAtKill,
                publishers * perPublisher, acknowledged.size(), failed.get(),
                TimeUnit.NANOSECONDS.toMillis(longestWaitNanos.get()), records.size(), duplicated, missing.size());

        assertTrue(missing.isEmpty(), () -> missing.size() + " acknowledged messages are not in Kafka, such as "
                + missing.subList(0, Math.min(10, missing.size())));
        assertEquals(publishers * perPublisher, acknowledged.size() + failed.get());
    }

    /**
     * Publishes {@code count} QoS 1 messages {@code id:sequence}, at most 100 unacknowledged at a time, and
     * waits for every answer; successful PUBACKs go into {@code acknowledged}.
     */
    private static void publish(String id, int count, Set<String> acknowledged, AtomicInteger failed,
                                AtomicLong longestWaitNanos) {
        Mqtt5AsyncClient client = tributary.mqtt5Async(id);
        try {
            Semaphore window = new Semaphore(100);
            for (int i = 0; i < count; i++) {
                window.acquireUninterruptibly();
                String payload = id + ":" + i;
                long sentAt = System.nanoTime();
                client.publishWith().topic("outage/" + id).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(payload.getBytes(StandardCharsets.UTF_8)).send()
                        .whenComplete((result, error) -> {
                            longestWaitNanos.accumulateAndGet(System.nanoTime() - sentAt, Math::max);
                            if (error == null && result.getError().isEmpty()) {
                                acknowledged.add(payload);
                            } else {
                                failed.incrementAndGet();
                            }
                            window.release();
                        });
            }
            if (!window.tryAcquire(100, 120, TimeUnit.SECONDS)) {
                throw new AssertionError(id + ": answers still missing after 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            client.disconnect().join();
        }
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
