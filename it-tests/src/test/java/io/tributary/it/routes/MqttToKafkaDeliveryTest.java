package io.tributary.it.routes;

import static io.tributary.it.support.KafkaRecords.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.testsupport.kafka.KafkaServer;
import io.tributary.testsupport.await.Await;
import io.tributary.it.support.KafkaRecords;
import io.tributary.testsupport.mqtt.Frame;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.it.support.TestTributary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery guarantees from MQTT publishers to Kafka: every acknowledged QoS 1 message is in Kafka exactly
 * once, under load; a QoS 2 retransmission is never written twice; one publisher's messages keep their order.
 * Each check reads on past the records it expects, so that a copy written late is counted.
 */
class MqttToKafkaDeliveryTest {

    private static final Logger LOG = LoggerFactory.getLogger(MqttToKafkaDeliveryTest.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path data;
    static KafkaServer kafka;
    static TestTributary tributary;
    static String load;
    static String ordered;
    static String qos2;
    static String concurrent;

    @BeforeAll
    static void start() {
        kafka = KafkaServer.shared();
        load = KafkaServer.uniqueTopic("load");
        ordered = KafkaServer.uniqueTopic("ordered");
        qos2 = KafkaServer.uniqueTopic("qos2");
        concurrent = KafkaServer.uniqueTopic("concurrent");
        kafka.createTopic(concurrent, 4);
        kafka.createTopic(load, 4);
        kafka.createTopic(ordered, 1);
        kafka.createTopic(qos2, 1);
        tributary = TestTributary.start(data, """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                routes:
                  - name: load
                    from: { mqtt: "load/{publisher}" }
                    to: { kafka: { connection: main, topic: "%s", key: "{publisher}" } }
                  - name: ordered
                    from: { mqtt: "ordered/{publisher}" }
                    to: { kafka: { connection: main, topic: "%s", key: "{publisher}" } }
                  - name: qos2
                    from: { mqtt: "qos2/{device}" }
                    to: { kafka: { connection: main, topic: "%s", key: "{device}" } }
                  - name: concurrent
                    from: { mqtt: "concurrent/{publisher}" }
                    to: { kafka: { connection: main, topic: "%s", key: "{publisher}" } }
                """.formatted(kafka.bootstrapServers(), load, ordered, qos2, concurrent));
    }

    @AfterAll
    static void stop() {
        if (tributary != null) {
            tributary.close();
        }
    }

    /** These routes deliver into Kafka without Camel exchanges (the direct path): what this class proves holds there. */
    @Test
    void theseRoutesDeliverThroughTheDirectPath() {
        for (String route : List.of("load", "ordered", "qos2", "concurrent")) {
            assertTrue(tributary.deliversDirectly(route), route);
        }
    }

    @Test
    void everyAcknowledgedQos1MessageOfFourPublishersIsInKafkaExactlyOnce() throws Exception {
        int publishers = 4;
        int perPublisher = 25_000;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        long startedAt = System.nanoTime();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            String id = "publisher-" + p;
            done.add(CompletableFuture.runAsync(() -> publishQos1(id, "load/" + id, perPublisher, acknowledged, failed)));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long publishedAt = System.nanoTime();

        int expected = publishers * perPublisher;
        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readPast(kafka.bootstrapServers(), load, expected,
                Duration.ofSeconds(60));
        long readAt = System.nanoTime();
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            copies.merge(text(record), 1, Integer::sum);
        }
        long duplicates = copies.values().stream().filter(n -> n > 1).count();
        long missing = acknowledged.stream().filter(id -> !copies.containsKey(id)).count();
        LOG.info("{} QoS 1 messages from {} publishers: {} acknowledged, {} failed, published in {} ms "
                        + "({} msg/s); {} records read back in {} ms; {} duplicated, {} acknowledged but missing",
                expected, publishers, acknowledged.size(), failed.get(), millis(startedAt, publishedAt),
                expected * 1000L / Math.max(1, millis(startedAt, publishedAt)), records.size(),
                millis(publishedAt, readAt), duplicates, missing);

        assertEquals(expected, acknowledged.size(), "every publish should have been acknowledged");
        assertEquals(0, missing, "acknowledged messages missing from Kafka");
        assertEquals(0, duplicates, "messages written to Kafka more than once");
        assertEquals(expected, records.size());
    }

    @Test
    void oneQos1PublishersMessagesReachKafkaInPublishOrder() throws Exception {
        int count = 5_000;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        publishQos1("sequencer", "ordered/sequencer", count, acknowledged, failed);
        assertEquals(count, acknowledged.size());

        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readPast(kafka.bootstrapServers(), ordered, count,
                WAIT);
        List<String> expected = IntStream.range(0, count).mapToObj(i -> payload("sequencer", i)).toList();
        assertEquals(expected, records.stream().map(KafkaRecords::text).toList());
    }

    /**
     * A route into Kafka starts its exchanges on several threads, each publisher's on one of them: publishers
     * publishing at the same time must each still find their messages in Kafka in the order they published them.
     */
    @Test
    void eachOfEightConcurrentPublishersKeepsItsOrderInKafka() throws Exception {
        int publishers = 8;
        int perPublisher = 3_000;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            String id = "parallel-" + p;
            done.add(CompletableFuture.runAsync(() -> publishQos1(id, "concurrent/" + id, perPublisher, acknowledged,
                    failed)));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        assertEquals(publishers * perPublisher, acknowledged.size(), "every publish should have been acknowledged");

        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readPast(kafka.bootstrapServers(), concurrent,
                publishers * perPublisher, Duration.ofSeconds(60));
        Map<String, List<String>> byPublisher = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            byPublisher.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(text(record));
        }
        assertEquals(publishers, byPublisher.size(), "one key per publisher");
        for (int p = 0; p < publishers; p++) {
            String id = "parallel-" + p;
            List<String> expected = IntStream.range(0, perPublisher).mapToObj(i -> payload(id, i)).toList();
            assertEquals(expected, byPublisher.get(id), id + "'s messages, in Kafka's order");
        }
    }

    @Test
    @SuppressWarnings("try")
    void qos2RetransmissionBeforePubrecIsNotWrittenAgain() throws Exception {
        // A second subscriber holds the PUBREC back, so that the retransmission surely comes before it.
        CompletableFuture<Void> release = new CompletableFuture<>();
        BlockingQueue<Message> held = new LinkedBlockingQueue<>();
        try (InProcessSubscription holder = tributary.broker().subscribe("qos2/early",
                SubscribeOptions.of(QoS.EXACTLY_ONCE).holdingPublisherAck(), message -> {
                    held.add(message);
                    return message.payloadAsString().equals("early-once") ? release : null;
                });
             RawMqttClient device = RawMqttClient.connected(tributary.mqttPort(), MqttVersion.MQTT_3_1_1, "qos2-early")) {
            device.publish("qos2/early", utf8("early-once"), 2, false, 7, false, null);
            Await.until(WAIT, "the broker takes the PUBLISH", () -> !held.isEmpty());
            device.publish("qos2/early", utf8("early-once"), 2, false, 7, true, null);
            device.assertSilentFor(Duration.ofMillis(300));

            release.complete(null);
            assertAck(device.nextFrame(WAIT), Frame.PUBREC, 7);
            assertAck(device.nextFrame(WAIT), Frame.PUBREC, 7);
            device.ack(MqttMessageType.PUBREL, 7);
            assertAck(device.nextFrame(WAIT), Frame.PUBCOMP, 7);
            publishQos2Completely(device, "qos2/early", 8, "early-sentinel");

            assertEquals(1, recordsUpTo("early-sentinel").stream().filter(v -> v.equals("early-once")).count());
            assertEquals(List.of("early-once", "early-sentinel"),
                    held.stream().map(Message::payloadAsString).toList());
        } finally {
            release.complete(null); // a failed assertion must not leave the route waiting for the bridge's stop
        }
    }

    @Test
    void qos2RetransmissionAfterPubrecIsNotWrittenAgain() throws Exception {
        try (RawMqttClient device = RawMqttClient.connected(tributary.mqttPort(), MqttVersion.MQTT_3_1_1, "qos2-late")) {
            device.publish("qos2/late", utf8("late-once"), 2, false, 9, false, null);
            assertAck(device.nextFrame(WAIT), Frame.PUBREC, 9);
            device.publish("qos2/late", utf8("late-once"), 2, false, 9, true, null);
            assertAck(device.nextFrame(WAIT), Frame.PUBREC, 9);
            device.ack(MqttMessageType.PUBREL, 9);
            assertAck(device.nextFrame(WAIT), Frame.PUBCOMP, 9);
            publishQos2Completely(device, "qos2/late", 10, "late-sentinel");

            assertEquals(1, recordsUpTo("late-sentinel").stream().filter(v -> v.equals("late-once")).count());
        }
    }

    /**
     * Publishes {@code count} QoS 1 messages with payloads {@code id:sequence}, at most 500 unacknowledged at a
     * time, and waits for every acknowledgement; the successful ones go into {@code acknowledged}.
     */
    private static void publishQos1(String id, String topic, int count, Set<String> acknowledged, AtomicInteger failed) {
        Mqtt5AsyncClient client = tributary.mqtt5Async(id);
        try {
            Semaphore window = new Semaphore(500);
            for (int i = 0; i < count; i++) {
                window.acquireUninterruptibly();
                String payload = payload(id, i);
                client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(utf8(payload)).send()
                        .whenComplete((result, error) -> {
                            if (error == null && result.getError().isEmpty()) {
                                acknowledged.add(payload);
                            } else {
                                failed.incrementAndGet();
                            }
                            window.release();
                        });
            }
            if (!window.tryAcquire(500, 60, TimeUnit.SECONDS)) {
                throw new AssertionError(id + ": acknowledgements still missing after 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            client.disconnect().join();
        }
    }

    private static void publishQos2Completely(RawMqttClient device, String topic, int packetId, String payload)
            throws Exception {
        device.publish(topic, utf8(payload), 2, false, packetId, false, null);
        assertAck(device.nextFrame(WAIT), Frame.PUBREC, packetId);
        device.ack(MqttMessageType.PUBREL, packetId);
        assertAck(device.nextFrame(WAIT), Frame.PUBCOMP, packetId);
    }

    /**
     * The values of the QoS 2 topic, read on for a while past {@code sentinel}: the route writes in arrival order
     * to one partition, so a second copy of an earlier message written in time would be before the sentinel, and
     * one written late is still seen.
     */
    private static List<String> recordsUpTo(String sentinel) {
        List<String> values = KafkaRecords.readPastUntil(kafka.bootstrapServers(), qos2,
                got -> got.stream().anyMatch(r -> text(r).equals(sentinel)), WAIT)
                .stream().map(KafkaRecords::text).toList();
        assertTrue(values.contains(sentinel), "the sentinel never reached Kafka");
        assertEquals(1, values.stream().filter(sentinel::equals).count(), "copies of the sentinel");
        return values;
    }

    private static void assertAck(Frame packet, int type, int packetId) {
        assertNotNull(packet, "no packet from the broker within " + WAIT);
        assertEquals(type, packet.type(), "packet type");
        assertEquals(packetId, packet.packetId(), "packet identifier");
    }

    private static String payload(String publisher, int sequence) {
        return publisher + ":" + sequence;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
