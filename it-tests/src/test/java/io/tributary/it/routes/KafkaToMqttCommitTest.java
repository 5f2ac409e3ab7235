package io.tributary.it.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.testsupport.kafka.KafkaServer;
import io.tributary.testsupport.await.Await;
import io.tributary.it.support.KafkaRecords;
import io.tributary.it.support.TestTributary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka to MQTT: a consumer group's offset passes a record only once the broker accepted it, so a record that
 * was not delivered (held, failed, or the bridge stopped) is read again rather than lost. An in-process
 * subscriber that holds the publisher's acknowledgement stands for a device that has not taken the message.
 */
class KafkaToMqttCommitTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path data;
    static KafkaServer kafka;
    static TestTributary tributary;
    static String heldTopic;
    static String failingTopic;
    static String restartTopic;
    static String heldGroup;
    static String failingGroup;
    static String restartGroup;

    @BeforeAll
    static void start() {
        kafka = KafkaServer.shared();
        heldTopic = KafkaServer.uniqueTopic("held");
        failingTopic = KafkaServer.uniqueTopic("failing");
        restartTopic = KafkaServer.uniqueTopic("restart");
        heldGroup = KafkaServer.uniqueTopic("held-group");
        failingGroup = KafkaServer.uniqueTopic("failing-group");
        restartGroup = KafkaServer.uniqueTopic("restart-group");
        for (String topic : List.of(heldTopic, failingTopic, restartTopic)) {
            kafka.createTopic(topic, 1);
        }
        tributary = TestTributary.start(data, """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                routes:
                  - name: held
                    from: { kafka: { connection: main, topic: "%s", group: "%s" } }
                    to: { mqtt: { topic: "held/{key}", qos: 1 } }
                  - name: failing
                    from: { kafka: { connection: main, topic: "%s", group: "%s" } }
                    to: { mqtt: { topic: "failing/{key}", qos: 1 } }
                    retry: { max-attempts: 1 }
                  - name: restart
                    from: { kafka: { connection: main, topic: "%s", group: "%s" } }
                    to: { mqtt: { topic: "restart/{key}", qos: 1 } }
                    retry: { max-attempts: 1 }
                """.formatted(kafka.bootstrapServers(), heldTopic, heldGroup, failingTopic, failingGroup,
                restartTopic, restartGroup));
    }

    @AfterAll
    static void stop() {
        if (tributary != null) {
            tributary.close();
        }
    }

    @Test
    @SuppressWarnings("try")
    void offsetIsCommittedOnlyAfterTheBrokerAcceptedTheRecord() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        List<String> delivered = new CopyOnWriteArrayList<>();
        try (InProcessSubscription device = tributary.broker().subscribe("held/#",
                SubscribeOptions.of(QoS.AT_LEAST_ONCE).holdingPublisherAck(), message -> {
                    delivered.add(message.payloadAsString());
                    return message.payloadAsString().equals("first") ? release : null;
                })) {
            KafkaRecords.produce(kafka.bootstrapServers(), List.of(
                    KafkaRecords.record(heldTopic, "k", "first"), KafkaRecords.record(heldTopic, "k", "second")));
            Await.until(WAIT, "the first record reaches the broker", () -> delivered.contains("first"));

            // Held: for as long as a consumer would need to commit several times over, nothing is committed.
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < until) {
                assertEquals(0, committed(heldGroup), "offset committed while the broker had not accepted the record");
                Thread.sleep(100);
            }
            assertEquals(List.of("first"), delivered, "the second record overtook the held one");

            release.complete(null);
            Await.until(WAIT, "the offset passes both records once delivered", () -> committed(heldGroup) == 2);
            assertEquals(List.of("first", "second"), delivered);
        } finally {
            release.complete(null); // a failed assertion must not leave the route waiting for the bridge's stop
        }
    }

    @Test
    @SuppressWarnings("try")
    void recordWhoseDeliveryFailedIsReadAgainAndDeliveredBeforeItsOffsetIsCommitted() throws Exception {
        List<String> attempts = new CopyOnWriteArrayList<>();
        try (InProcessSubscription device = tributary.broker().subscribe("failing/#",
                SubscribeOptions.of(QoS.AT_LEAST_ONCE).holdingPublisherAck(), message -> {
                    attempts.add(message.payloadAsString());
                    return attempts.size() == 1 ? CompletableFuture.failedFuture(new IllegalStateException("refused"))
                            : CompletableFuture.completedFuture(null);
                })) {
            KafkaRecords.produce(kafka.bootstrapServers(), List.of(
                    KafkaRecords.record(failingTopic, "k", "fails-once"), KafkaRecords.record(failingTopic, "k", "next")));

            Await.until(WAIT, "the offset passes both records", () -> committed(failingGroup) == 2);
            assertEquals(List.of("fails-once", "fails-once", "next"), attempts);
        }
    }

    @Test
    @SuppressWarnings("try")
    void recordUndeliveredWhenTheBridgeStopsIsDeliveredAfterARestart() throws Exception {
        AtomicBoolean accepting = new AtomicBoolean(false);
        List<Message> attempts = new CopyOnWriteArrayList<>();
        try (InProcessSubscription device = tributary.broker().subscribe("restart/#",
                SubscribeOptions.of(QoS.AT_LEAST_ONCE).holdingPublisherAck(), message -> {
                    attempts.add(message);
                    return accepting.get() ? CompletableFuture.completedFuture(null)
                            : CompletableFuture.failedFuture(new IllegalStateException("not now"));
                })) {
            KafkaRecords.produce(kafka.bootstrapServers(), List.of(KafkaRecords.record(restartTopic, "k", "survivor")));
            Await.until(WAIT, "the record reaches the broker", () -> !attempts.isEmpty());
            tributary.stopBridge();
            assertEquals(0, committed(restartGroup), "the offset passed a record that was never delivered");

            int failedAttempts = attempts.size();
            accepting.set(true);
            tributary.startBridge();
            Await.until(WAIT, "the offset passes the record after the restart", () -> committed(restartGroup) == 1);
            assertTrue(attempts.size() > failedAttempts, "the record was not delivered again after the restart");
            assertEquals("survivor", attempts.get(attempts.size() - 1).payloadAsString());
        }
    }

    /** The group's committed offset of partition 0, 0 when it committed none. */
    private static long committed(String group) {
        try {
            return KafkaRecords.committedOffsets(kafka.bootstrapServers(), group).values().stream()
                    .filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).max().orElse(0);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of " + group, e);
        }
    }
}
