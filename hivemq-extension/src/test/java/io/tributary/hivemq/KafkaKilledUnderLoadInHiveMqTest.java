package io.tributary.hivemq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.kafka.KafkaServer;
import io.tributary.testsupport.process.KillSchedule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 sequence-numbered QoS 1 messages from 10 MQTT 5 devices routed to a real Kafka inside HiveMQ CE, with Kafka
 * killed ({@code kill -9}) at a seeded point mid-stream and started again a seeded 2 to 5 s later: every message
 * whose PUBACK said Success is in Kafka. Duplicates (a record written whose acknowledgement the kill lost, then
 * written again by the producer's retry) are counted and printed, not failed; so are nacks, which a device sends
 * again. Ten devices rather than one, since HiveMQ holds one publish per client at a time.
 */
class KafkaKilledUnderLoadInHiveMqTest {

    private static final int DEVICES = 10;
    private static final int MESSAGES_PER_DEVICE = 1_000;

    @TempDir
    Path folder;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void noAcknowledgedMessageIsMissingFromKafkaAfterAKillAndRestart() throws Exception {
        KillSchedule schedule = KillSchedule.between("hivemq-kafka-kill", Duration.ofSeconds(2),
                Duration.ofSeconds(5));
        Random random = schedule.random();
        try (KafkaServer kafka = KafkaServer.startDedicated("hivemq-kill")) {
            String topic = KafkaServer.uniqueTopic("killed");
            kafka.createTopic(topic, 1);
            String yaml = RouteYaml.telemetryToKafka(kafka.bootstrapServers(), topic);
            try (HiveMqWithTributary hivemq = HiveMqWithTributary.start(folder, yaml)) {
                List<Mqtt5AsyncClient> devices = new ArrayList<>();
                for (int d = 0; d < DEVICES; d++) {
                    devices.add(Devices.connect(hivemq, "device-" + d));
                }
                int killAfter = 1_000 + random.nextInt(DEVICES * MESSAGES_PER_DEVICE / 2);
                Duration down = schedule.nextKill();
                AtomicInteger answered = new AtomicInteger();
                // Completed by the answer that reaches the kill point. The kill and the restart run on a thread of
                // their own: the devices are answered as fast as this thread sends, and the client's send() blocks
                // once its queue is full, as it is while Kafka is down.
                CompletableFuture<Void> killPoint = new CompletableFuture<>();
                CompletableFuture<Integer> killedAndRestarted = killPoint.thenApplyAsync(reached -> {
                    kafka.kill();
                    int answeredAtKill = answered.get();
                    Await.holds(down, "Kafka stays down for " + down, () -> !kafka.isRunning());
                    kafka.start();
                    return answeredAtKill;
                }, command -> new Thread(command, "kafka-killer").start());
                Map<String, CompletableFuture<Mqtt5PublishResult>> sent = new TreeMap<>();
                for (int seq = 0; seq < MESSAGES_PER_DEVICE; seq++) {
                    for (int d = 0; d < DEVICES; d++) {
                        String payload = d + "-" + seq;
                        CompletableFuture<Mqtt5PublishResult> result = devices.get(d).publishWith()
                                .topic("sites/s" + d + "/t").qos(MqttQos.AT_LEAST_ONCE)
                                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
                        result.whenComplete((r, e) -> {
                            if (answered.incrementAndGet() == killAfter) {
                                killPoint.complete(null);
                            }
                        });
                        sent.put(payload, result);
                    }
                }

                int answeredAtKill = killedAndRestarted.get(120, TimeUnit.SECONDS);
                Await.until(Duration.ofSeconds(120), "every publish answered", () -> answered.get() == sent.size());

                Set<String> acknowledged = new HashSet<>();
                int nacked = 0;
                for (Map.Entry<String, CompletableFuture<Mqtt5PublishResult>> entry : sent.entrySet()) {
                    if (!entry.getValue().isCompletedExceptionally()
                            && entry.getValue().join().getError().isEmpty()) {
                        acknowledged.add(entry.getKey());
                    } else {
                        nacked++;
                    }
                }
                List<String> inKafka = KafkaTopic.payloads(kafka.bootstrapServers(), topic, acknowledged.size(),
                        Duration.ofSeconds(60));
                Set<String> missing = new HashSet<>(acknowledged);
                missing.removeAll(inKafka);
                int duplicates = inKafka.size() - new HashSet<>(inKafka).size();
                System.out.printf("[crash] hivemq-kafka-kill: killed after %d answers (%d at the kill), down %s; "
                        + "%d acknowledged, %d nacked, %d records in Kafka, %d duplicates, %d acknowledged "
                        + "missing%n", killAfter, answeredAtKill, down, acknowledged.size(), nacked, inKafka.size(),
                        duplicates, missing.size());
                assertEquals(Set.of(), missing, "acknowledged messages missing from Kafka (seed "
                        + schedule.seed() + ")");
                assertTrue(answeredAtKill < sent.size(), "Kafka was killed mid-stream, not after it");
                for (Mqtt5AsyncClient device : devices) {
                    device.disconnect().get(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}
