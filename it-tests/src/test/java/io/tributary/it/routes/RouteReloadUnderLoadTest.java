package io.tributary.it.routes;

import static io.tributary.it.support.KafkaRecords.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes swapped by a configuration reload while messages flow through them, against a real Kafka: every
 * message a device had acknowledged, and every record Kafka had, is delivered by the old route or the new one.
 * Each swap is seen to take effect (a message sent between two swaps goes where that epoch's route sends it;
 * after a swap the old route delivers nothing), a Kafka-sourced swap finds records undelivered, and duplicates
 * are counted and bounded by what was in flight.
 */
class RouteReloadUnderLoadTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** QoS 1 messages a publisher has unacknowledged at most. */
    private static final int WINDOW = 32;

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

        Publishing publishing = new Publishing();
        List<Thread> publishers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            String clientId = "reloading-" + p;
            Thread publisher = new Thread(() -> publish(clientId, 3_000, publishing), clientId);
            publisher.start();
            publishers.add(publisher);
        }
        int reloads = 0;
        while (publishers.stream().anyMatch(Thread::isAlive) && reloads < 8) {
            int epoch = reloads;
            // Each route in turn takes messages before it is swapped: no fixed pause, and no empty side.
            Await.until(WAIT, "messages sent and acknowledged between swaps", () -> publishing.inEpoch(epoch) >= 50
                    || publishers.stream().noneMatch(Thread::isAlive));
            if (publishers.stream().noneMatch(Thread::isAlive)) {
                break;
            }
            String topic = topicOf(epoch + 1, even, odd);
            publishing.phase.incrementAndGet(); // swapping
            RouteChanges changes = tributary.bridge().reloadRoutes(
                    TestTributary.load(data, toKafka(kafka, topic)).routes());
            publishing.phase.incrementAndGet(); // the next epoch
            assertEquals(List.of("telemetry"), changes.changed());
            reloads++;
        }
        for (Thread publisher : publishers) {
            publisher.join(TimeUnit.SECONDS.toMillis(60));
        }
        if (publishers.stream().anyMatch(Thread::isAlive)) {
            System.out.println(threadDump());
            fail("PUBACKs still missing 60 s after the last of " + reloads + " swaps: " + publishing.acknowledged.size()
                    + " acknowledged, by publisher " + publishing.acknowledged.stream()
                    .collect(Collectors.groupingBy(id -> id.substring(0, id.indexOf(':')), Collectors.counting())));
        }

        assertTrue(reloads >= 4, "the publishers finished before the route was swapped often: " + reloads);
        assertEquals(0, publishing.failed.get(), "PUBACKs that reported a failure");
        assertEquals(6_000, publishing.acknowledged.size());
        Map<String, Map<String, Integer>> copies = new HashMap<>();
        int records = 0;
        for (String topic : List.of(even, odd)) {
            Map<String, Integer> inTopic = new HashMap<>();
            for (ConsumerRecord<String, byte[]> record : KafkaRecords.readUntil(kafka.bootstrapServers(), topic,
                    read -> false, Duration.ofSeconds(5))) {
                inTopic.merge(text(record), 1, Integer::sum);
                records++;
            }
            copies.put(topic, inTopic);
        }
        Set<String> inKafka = new HashSet<>(copies.get(even).keySet());
        inKafka.addAll(copies.get(odd).keySet());
        Set<String> missing = new HashSet<>(publishing.acknowledged);
        missing.removeAll(inKafka);
        assertEquals(Set.of(), missing, "acknowledged but in neither topic");

        // Each swap took effect: a message sent and acknowledged between two swaps is in that epoch's topic only.
        List<String> misrouted = new ArrayList<>();
        publishing.epochs.forEach((id, epoch) -> {
            String expected = topicOf(epoch, even, odd);
            String other = expected.equals(even) ? odd : even;
            if (copies.get(expected).getOrDefault(id, 0) != 1 || copies.get(other).containsKey(id)) {
                misrouted.add(id + " (epoch " + epoch + ": " + copies.get(expected).getOrDefault(id, 0) + " in its "
                        + "topic, " + copies.get(other).getOrDefault(id, 0) + " in the other)");
            }
        });
        assertEquals(List.of(), misrouted.subList(0, Math.min(10, misrouted.size())),
                misrouted.size() + " messages not once in the topic of the route they were sent under");
        for (int epoch = 0; epoch < reloads; epoch++) {
            assertTrue(publishing.inEpoch(epoch) > 0, "no message went through the route of epoch " + epoch);
        }
        int duplicates = records - inKafka.size();
        // A message can reach both routes only while both run during a swap, and only one in flight then.
        assertTrue(duplicates <= reloads * 2 * WINDOW, duplicates + " duplicates in " + reloads + " swaps");
        System.out.printf("reload under load: %d reloads, %d acknowledged, %d sent within one epoch, %d records, "
                + "%d delivered twice%n", reloads, publishing.acknowledged.size(), publishing.epochs.size(), records,
                duplicates);
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
        AtomicInteger byNewRoute = new AtomicInteger();
        AtomicInteger byOldRouteAfterSwap = new AtomicInteger();
        AtomicBoolean swapped = new AtomicBoolean();
        tributary = TestTributary.start(data, fromKafka(kafka, topic, group, "a"));
        // Until the swap, the device takes a record a millisecond after it came, so that the swap finds records
        // undelivered.
        Executor device = CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS);
        try (InProcessSubscription devices = tributary.broker().subscribe("cmd/#",
                SubscribeOptions.of(QoS.AT_LEAST_ONCE).holdingPublisherAck(), message -> {
                    delivered.add(message.payloadAsString());
                    deliveries.incrementAndGet();
                    if (message.topic().startsWith("cmd/b/")) {
                        byNewRoute.incrementAndGet();
                    } else if (swapped.get()) {
                        byOldRouteAfterSwap.incrementAndGet();
                    }
                    return swapped.get() ? null : CompletableFuture.runAsync(() -> { }, device);
                })) {
            List<org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>> batch = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                batch.add(KafkaRecords.record(topic, "k" + (i % 50), "r" + i));
            }
            KafkaRecords.produce(kafka.bootstrapServers(), batch);
            Await.until(WAIT, "records flowing", () -> delivered.size() >= 500);

            int deliveredAtSwap = delivered.size();
            long committedAtSwap = committed(kafka, group);
            long swapStartedAt = System.nanoTime();
            RouteChanges changes = tributary.bridge().reloadRoutes(
                    TestTributary.load(data, fromKafka(kafka, topic, group, "b")).routes());
            swapped.set(true);
            long swapMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - swapStartedAt);
            long committedAfterSwap = committed(kafka, group);
            int deliveriesAfterSwap = deliveries.get();

            assertEquals(List.of("commands"), changes.changed());
            assertTrue(deliveredAtSwap < 5_000 && committedAtSwap < 5_000,
                    "the swap came after every record was delivered: " + deliveredAtSwap + " delivered, "
                            + committedAtSwap + " committed");
            Await.until(WAIT, "all 5,000 records delivered", () -> delivered.size() == 5_000);
            Await.until(WAIT, "the group's offsets pass every record", () -> committed(kafka, group) == 5_000);
            int duplicates = deliveries.get() - 5_000;
            System.out.printf("Kafka source reload: 5000 records, %d delivered and %d committed at the swap, "
                            + "which took %d ms; %d deliveries, %d by the new route, %d duplicated%n",
                    deliveredAtSwap, committedAtSwap, swapMillis, deliveries.get(), byNewRoute.get(), duplicates);
            assertTrue(byNewRoute.get() > 0, "the new route delivered nothing");
            assertEquals(0, byOldRouteAfterSwap.get(), "deliveries by the old route after the swap");
            // Only records the old route delivered but had not committed when it stopped can come twice.
            assertTrue(duplicates <= deliveriesAfterSwap - Math.max(0, committedAfterSwap),
                    duplicates + " duplicates, more than the " + (deliveriesAfterSwap - committedAfterSwap)
                            + " deliveries not committed at the swap");
        }
    }

    private static String threadDump() {
        StringBuilder dump = new StringBuilder("--- threads ---\n");
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState()).append('\n');
            for (StackTraceElement frame : info.getStackTrace()) {
                dump.append("    at ").append(frame).append('\n');
            }
        }
        return dump.toString();
    }

    /** The topic of the route in {@code epoch}: even first, then odd and even in turn. */
    private static String topicOf(int epoch, String even, String odd) {
        return epoch % 2 == 0 ? even : odd;
    }

    /**
     * What the publishers were told, and for each message sent and acknowledged within one epoch (between two
     * swaps, none in progress) that epoch.
     */
    private static final class Publishing {
        /** Twice the epoch while no swap is in progress; odd during a swap. */
        final AtomicInteger phase = new AtomicInteger();
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicInteger failed = new AtomicInteger();
        final Map<String, Integer> epochs = new ConcurrentHashMap<>();

        long inEpoch(int epoch) {
            return epochs.values().stream().filter(e -> e == epoch).count();
        }
    }

    private void publish(String clientId, int count, Publishing publishing) {
        Mqtt5AsyncClient client = tributary.mqtt5Async(clientId);
        Semaphore window = new Semaphore(WINDOW);
        for (int i = 0; i < count; i++) {
            window.acquireUninterruptibly();
            String id = clientId + ":" + i;
            int sentIn = publishing.phase.get();
            client.publishWith().topic("load/" + clientId).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(id.getBytes(StandardCharsets.UTF_8)).send()
                    .whenComplete((result, error) -> {
                        if (error == null && result.getError().isEmpty()) {
                            publishing.acknowledged.add(id);
                            if (sentIn % 2 == 0 && publishing.phase.get() == sentIn) {
                                publishing.epochs.put(id, sentIn / 2);
                            }
                        } else {
                            publishing.failed.incrementAndGet();
                        }
                        window.release();
                    });
        }
        window.acquireUninterruptibly(WINDOW);
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
