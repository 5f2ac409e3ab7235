package io.tributary.it.routes;

import static io.tributary.it.support.KafkaRecords.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.testsupport.kafka.KafkaServer;
import io.tributary.testsupport.mqtt.Frame;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.testsupport.await.Await;
import io.tributary.it.support.KafkaRecords;
import io.tributary.it.support.TestTributary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka killed like {@code kill -9} while devices publish at QoS 1, then started again: no message that got a
 * PUBACK is lost. The publishers never stop; their PUBACKs simply wait while Kafka is away: none arrives and
 * none fails meanwhile. Kafka frozen ({@code kill -STOP}) holds the device's PUBACK or PUBREC back until it
 * answers again; a graceful stop in that state, and the device's resend after the restart, leave each message in
 * Kafka, a QoS 2 one once.
 */
class KafkaOutageTest {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaOutageTest.class);

    @TempDir
    static Path data;
    static KafkaServer kafka;
    static TestTributary tributary;
    static String topic;
    static String frozenTopic;

    @BeforeAll
    static void start() {
        kafka = KafkaServer.startDedicated("outage");
        topic = KafkaServer.uniqueTopic("outage");
        kafka.createTopic(topic, 2);
        frozenTopic = KafkaServer.uniqueTopic("frozen");
        kafka.createTopic(frozenTopic, 1);
        tributary = TestTributary.start(data, """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                routes:
                  - name: outage
                    from: { mqtt: "outage/{publisher}" }
                    to: { kafka: { connection: main, topic: "%s", key: "{publisher}" } }
                  - name: frozen
                    from: { mqtt: "frozen/{device}" }
                    to: { kafka: { connection: main, topic: "%s", key: "{device}" } }
                """.formatted(kafka.bootstrapServers(), topic, frozenTopic));
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

    /** These routes deliver into Kafka without Camel exchanges (the direct path): what this class proves holds there. */
    @Test
    void theseRoutesDeliverThroughTheDirectPath() {
        for (String route : List.of("outage", "frozen")) {
            assertTrue(tributary.deliversDirectly(route), route);
        }
    }

    @Test
    void pubackAndPubrecWaitWhileKafkaIsFrozenAndComeOnceItAnswers() throws Exception {
        Mqtt5AsyncClient device = tributary.mqtt5Async("frozen-device");
        try {
            // First the producer connects and learns the topic's leader, so that a frozen Kafka withholds only
            // its acknowledgement of the records.
            assertTrue(send(device, "warm-up", MqttQos.AT_LEAST_ONCE).get(30, TimeUnit.SECONDS).getError().isEmpty());
            kafka.freeze();
            Map<String, CompletableFuture<Mqtt5PublishResult>> answers = new LinkedHashMap<>();
            try {
                for (int i = 0; i < 20; i++) {
                    MqttQos qos = i % 2 == 0 ? MqttQos.AT_LEAST_ONCE : MqttQos.EXACTLY_ONCE;
                    String payload = "held-" + i + "-" + qos;
                    answers.put(payload, send(device, payload, qos));
                }
                Await.holds(Duration.ofSeconds(3), "no PUBACK or PUBREC while Kafka is frozen",
                        () -> answers.values().stream().noneMatch(CompletableFuture::isDone));
            } finally {
                kafka.thaw();
            }
            for (Map.Entry<String, CompletableFuture<Mqtt5PublishResult>> answer : answers.entrySet()) {
                Mqtt5PublishResult result = answer.getValue().get(30, TimeUnit.SECONDS);
                assertTrue(result.getError().isEmpty(), answer.getKey() + ": " + result.getError());
            }

            Map<String, Integer> copies = new HashMap<>();
            for (ConsumerRecord<String, byte[]> record : KafkaRecords.readPast(kafka.bootstrapServers(), frozenTopic,
                    answers.size() + 1, Duration.ofSeconds(30))) {
                copies.merge(text(record), 1, Integer::sum);
            }
            Map<String, Integer> once = new HashMap<>();
            answers.keySet().forEach(payload -> once.put(payload, 1));
            once.put("warm-up", 1);
            assertEquals(once, copies, "each acknowledged message once in Kafka");
        } finally {
            device.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    @Test
    void gracefulStopWhilePubacksWaitForKafkaThenTheDevicesResendLeaveEachMessageInKafka() throws Exception {
        Path stopData = data.resolve("graceful-stop");
        String stopTopic = KafkaServer.uniqueTopic("graceful-stop");
        kafka.createTopic(stopTopic, 1);
        String yaml = """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                routes:
                  - name: stop
                    from: { mqtt: "stop/{device}" }
                    to: { kafka: { connection: main, topic: "%s", key: "{device}" } }
                """.formatted(kafka.bootstrapServers(), stopTopic);
        // Packet identifiers 1-5 at QoS 1, 6-10 at QoS 2; 100 the warm-up.
        Map<Integer, String> held = new LinkedHashMap<>();
        for (int id = 1; id <= 10; id++) {
            held.put(id, (id <= 5 ? "qos1-" : "qos2-") + id);
        }
        Set<Integer> answeredBeforeStop = new HashSet<>();
        TestTributary first = TestTributary.startPersistent(stopData, yaml);
        try (RawMqttClient device = new RawMqttClient(first.mqttPort())) {
            device.connect(MqttVersion.MQTT_3_1_1, "graceful-device", false, null);
            device.publish("stop/graceful-device", utf8("warm-up"), 1, false, 100, false, null);
            device.expectFrame(Frame.PUBACK, Duration.ofSeconds(30));
            kafka.freeze();
            CompletableFuture<Void> stopped;
            try {
                for (Map.Entry<Integer, String> message : held.entrySet()) {
                    device.publish("stop/graceful-device", utf8(message.getValue()), message.getKey() <= 5 ? 1 : 2,
                            false, message.getKey(), false, null);
                }
                device.assertSilentFor(Duration.ofSeconds(1));
                stopped = CompletableFuture.runAsync(() -> {
                    try {
                        first.stopGracefully();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                // Kafka answers again while the stop is under way: at once if the broker closes the connection
                // at once, or after a while if it waits for the acknowledgements it holds.
                device.closedWithin(Duration.ofSeconds(1));
            } finally {
                kafka.thaw();
            }
            assertTrue(device.closedWithin(Duration.ofSeconds(40)), "the stopping broker kept the connection");
            for (Frame frame = device.nextFrame(Duration.ofMillis(1)); frame != null;
                 frame = device.nextFrame(Duration.ofMillis(1))) {
                if (frame.type() == Frame.PUBACK || frame.type() == Frame.PUBREC) {
                    answeredBeforeStop.add(frame.packetId());
                }
            }
            stopped.get(60, TimeUnit.SECONDS);
        } finally {
            first.close();
        }

        TestTributary second = TestTributary.startPersistent(stopData, yaml);
        try (RawMqttClient device = new RawMqttClient(second.mqttPort())) {
            MqttConnAckMessage connack = (MqttConnAckMessage) device.connect(MqttVersion.MQTT_3_1_1,
                    "graceful-device", false, null);
            assertTrue(connack.variableHeader().isSessionPresent(), "the session was not kept");
            // As a device resumes its session [MQTT-4.4.0-1]: PUBLISH again with DUP what was not answered, PUBREL
            // for what got PUBREC.
            Set<Integer> open = new HashSet<>(held.keySet());
            for (Map.Entry<Integer, String> message : held.entrySet()) {
                int id = message.getKey();
                if (id <= 5 && answeredBeforeStop.contains(id)) {
                    open.remove(id);
                } else if (id > 5 && answeredBeforeStop.contains(id)) {
                    device.ack(MqttMessageType.PUBREL, id);
                } else {
                    device.publish("stop/graceful-device", utf8(message.getValue()), id <= 5 ? 1 : 2, false, id,
                            true, null);
                }
            }
            while (!open.isEmpty()) {
                Frame frame = device.nextFrame(Duration.ofSeconds(30));
                assertTrue(frame != null, "no answer for " + open);
                if (frame.type() == Frame.PUBREC) {
                    device.ack(MqttMessageType.PUBREL, frame.packetId());
                } else if (frame.type() == Frame.PUBACK || frame.type() == Frame.PUBCOMP) {
                    open.remove(frame.packetId());
                }
            }
        } finally {
            second.close();
        }

        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : KafkaRecords.readPast(kafka.bootstrapServers(), stopTopic,
                held.size() + 1, Duration.ofSeconds(30))) {
            copies.merge(text(record), 1, Integer::sum);
        }
        LOG.info("graceful stop with 10 acknowledgements held: {} answered before the stop; in Kafka: {}",
                answeredBeforeStop.size(), copies);
        Map<String, Integer> once = new HashMap<>();
        held.forEach((id, payload) -> {
            // A QoS 1 message sent again after the stop may be there twice; anything else must be there once.
            if (id <= 5 && !answeredBeforeStop.contains(id)) {
                once.put(payload, Math.min(1, copies.getOrDefault(payload, 0)));
            } else {
                once.put(payload, copies.getOrDefault(payload, 0));
            }
        });
        Map<String, Integer> expected = new HashMap<>();
        held.values().forEach(payload -> expected.put(payload, 1));
        assertEquals(expected, once, "copies in Kafka (QoS 1 resent after the stop: at least one)");
        assertEquals(1, copies.getOrDefault("warm-up", 0));
    }

    @Test
    void everyAcknowledgedQos1MessageIsInKafkaAfterKafkaWasKilledAndRestarted() throws Exception {
        int publishers = 2;
        int perPublisher = 10_000;
        Publishing publishing = new Publishing();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            String id = "publisher-" + p;
            done.add(CompletableFuture.runAsync(() -> publish(id, perPublisher, publishing)));
        }

        Await.until(Duration.ofSeconds(60), "2,000 PUBACKs before the kill",
                () -> publishing.acknowledged.size() >= 2_000);
        int inFlightAtKill = publishing.sent.get() - publishing.answered();
        kafka.kill();
        // The PUBACKs of records Kafka had acknowledged before it died may still be on their way.
        int ackedAtKill = settled(() -> publishing.acknowledged.size());
        long killedAt = System.nanoTime();
        Await.holds(Duration.ofSeconds(3), "no PUBACK, and no failed one, while Kafka is down",
                () -> publishing.acknowledged.size() == ackedAtKill && publishing.failed.get() == 0);
        int sentWhileDown = publishing.sent.get();
        kafka.start();
        long restartedAt = System.nanoTime();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);

        Set<String> acknowledged = publishing.acknowledged;
        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readPastUntil(kafka.bootstrapServers(), topic,
                got -> got.size() >= acknowledged.size() && got.stream().map(KafkaRecords::text).distinct().count()
                        >= acknowledged.size(), Duration.ofSeconds(60));
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            copies.merge(text(record), 1, Integer::sum);
        }
        List<String> missing = acknowledged.stream().filter(id -> !copies.containsKey(id)).sorted().toList();
        long duplicated = copies.values().stream().filter(n -> n > 1).count();
        LOG.info("Kafka killed with {} messages in flight after {} PUBACKs, {} sent before the restart, back {} ms "
                        + "later; {} published, {} acknowledged, {} failed PUBACKs, longest PUBACK wait {} ms; "
                        + "{} records, {} duplicated, {} acknowledged but missing",
                inFlightAtKill, ackedAtKill, sentWhileDown, millis(killedAt, restartedAt),
                publishers * perPublisher, acknowledged.size(), publishing.failed.get(),
                TimeUnit.NANOSECONDS.toMillis(publishing.longestWaitNanos.get()), records.size(), duplicated,
                missing.size());

        assertTrue(inFlightAtKill > 0, "no message was in flight when Kafka was killed");
        assertTrue(missing.isEmpty(), () -> missing.size() + " acknowledged messages are not in Kafka, such as "
                + missing.subList(0, Math.min(10, missing.size())));
        assertEquals(0, publishing.failed.get(), "failed PUBACKs");
        assertEquals(publishers * perPublisher, acknowledged.size());
    }

    /** What the publishers sent and were answered. */
    private static final class Publishing {
        final AtomicInteger sent = new AtomicInteger();
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicLong longestWaitNanos = new AtomicLong();

        int answered() {
            return acknowledged.size() + failed.get();
        }
    }

    /** The value of {@code count} once it stayed the same for 300 ms. */
    private static int settled(IntSupplier count) {
        int[] last = {count.getAsInt()};
        long[] since = {System.nanoTime()};
        Await.until(Duration.ofSeconds(10), "the count settles", () -> {
            int now = count.getAsInt();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] >= TimeUnit.MILLISECONDS.toNanos(300);
        });
        return last[0];
    }

    private static CompletableFuture<Mqtt5PublishResult> send(Mqtt5AsyncClient device, String payload, MqttQos qos) {
        return device.publishWith().topic("frozen/" + device.getConfig().getClientIdentifier().orElseThrow())
                .qos(qos).payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    /**
     * Publishes {@code count} QoS 1 messages {@code id:sequence}, at most 100 unacknowledged at a time, and
     * waits for every answer.
     */
    private static void publish(String id, int count, Publishing publishing) {
        Mqtt5AsyncClient client = tributary.mqtt5Async(id);
        try {
            Semaphore window = new Semaphore(100);
            for (int i = 0; i < count; i++) {
                window.acquireUninterruptibly();
                String payload = id + ":" + i;
                long sentAt = System.nanoTime();
                publishing.sent.incrementAndGet();
                client.publishWith().topic("outage/" + id).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(payload.getBytes(StandardCharsets.UTF_8)).send()
                        .whenComplete((result, error) -> {
                            publishing.longestWaitNanos.accumulateAndGet(System.nanoTime() - sentAt, Math::max);
                            if (error == null && result.getError().isEmpty()) {
                                publishing.acknowledged.add(payload);
                            } else {
                                publishing.failed.incrementAndGet();
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

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
