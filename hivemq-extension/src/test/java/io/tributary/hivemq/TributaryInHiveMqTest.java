package io.tributary.hivemq;

import static io.tributary.hivemq.Devices.assertSuccess;
import static io.tributary.hivemq.Devices.connect;
import static io.tributary.hivemq.Devices.connect311;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.http.WebhookServer;
import io.tributary.testsupport.kafka.KafkaServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tributary's routes inside HiveMQ CE (embedded, with the extension embedded) with a real Kafka and real MQTT clients:
 * the device's PUBACK waits for Kafka's acknowledgement, a client connecting as soon as HiveMQ started is routed, and
 * a stopped HiveMQ leaves no thread of Tributary's behind.
 */
class TributaryInHiveMqTest {

    @TempDir
    Path folder;
    static KafkaServer kafka;

    @BeforeAll
    static void startKafka() {
        // Its own Kafka: one test freezes it.
        kafka = KafkaServer.startDedicated("hivemq-extension");
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void pubackIsHeldWhileKafkaIsFrozen() throws Exception {
        String topic = newTopic("held");
        try (HiveMqWithTributary hivemq = HiveMqWithTributary.start(folder, routeTo(topic))) {
            Queue<String> witnessed = new ConcurrentLinkedQueue<>();
            Mqtt5AsyncClient witness = connect(hivemq, "witness");
            witness.subscribeWith().topicFilter("sites/#").qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> witnessed.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                    .send().get(10, TimeUnit.SECONDS);
            Mqtt5AsyncClient device = connect(hivemq, "device-held");
            Mqtt3AsyncClient device311 = connect311(hivemq, "device-held-311");
            // First the route's producer connects and learns the topic's leader, so that a frozen Kafka withholds only
            // its acknowledgement of the record.
            assertSuccess(publish(device, "warm-up").get(30, TimeUnit.SECONDS));

            kafka.freeze();
            CompletableFuture<Mqtt5PublishResult> held;
            CompletableFuture<Mqtt5PublishResult> heldQos2;
            CompletableFuture<Mqtt3Publish> held311;
            try {
                held = publish(device, "held");
                heldQos2 = device.publishWith().topic("sites/north/t").qos(MqttQos.EXACTLY_ONCE)
                        .payload("held-qos2".getBytes(StandardCharsets.UTF_8)).send();
                held311 = publish311(device311, "held-311");
                Await.holds(Duration.ofSeconds(4), "no PUBACK or PUBREC and no delivery to HiveMQ's subscriber "
                        + "while Kafka is frozen", () -> !held.isDone() && !heldQos2.isDone() && !held311.isDone()
                                && witnessed.stream().noneMatch(payload -> payload.startsWith("held")));
            } finally {
                kafka.thaw();
            }

            assertSuccess(held.get(30, TimeUnit.SECONDS));
            Mqtt5PublishResult qos2 = heldQos2.get(30, TimeUnit.SECONDS);
            assertTrue(qos2.getError().isEmpty(), () -> "QoS 2 publish failed: " + qos2.getError());
            held311.get(30, TimeUnit.SECONDS); // a plain PUBACK for MQTT 3.1.1
            Await.until(Duration.ofSeconds(10), "HiveMQ's subscriber got the messages after their PUBACKs",
                    () -> witnessed.containsAll(List.of("held", "held-qos2", "held-311")));
            List<String> inKafka = KafkaTopic.payloads(kafka.bootstrapServers(), topic, 4, Duration.ofSeconds(30));
            assertEquals(4, inKafka.size(), () -> "each acknowledged message once in Kafka: " + inKafka);
            assertEquals(Set.of("warm-up", "held", "held-qos2", "held-311"), Set.copyOf(inKafka));
            device.disconnect().get(10, TimeUnit.SECONDS);
            device311.disconnect().get(10, TimeUnit.SECONDS);
            witness.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHoldThatTimesOutNacksMqtt5AndDisconnectsMqtt311WhileTheRouteGoesOn() throws Exception {
        String topic = newTopic("timeout");
        String yaml = routeTo(topic) + "hivemq: { hold-timeout: 2s }\n";
        try (HiveMqWithTributary hivemq = HiveMqWithTributary.start(folder, yaml)) {
            Queue<String> witnessed = new ConcurrentLinkedQueue<>();
            Mqtt5AsyncClient witness = connect(hivemq, "witness");
            witness.subscribeWith().topicFilter("sites/#").qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> witnessed.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                    .send().get(10, TimeUnit.SECONDS);
            Mqtt5AsyncClient device = connect(hivemq, "device-5");
            Mqtt3AsyncClient device311 = connect311(hivemq, "device-311");
            assertSuccess(publish(device, "warm-up").get(30, TimeUnit.SECONDS));

            kafka.freeze();
            CompletableFuture<Mqtt5PublishResult> result;
            CompletableFuture<Mqtt3Publish> result311;
            try {
                result311 = publish311(device311, "late-311");
                result = publish(device, "late-5");
                Await.until(Duration.ofSeconds(30), "the MQTT 5 device got its answer", result::isDone);
                Await.until(Duration.ofSeconds(30), "HiveMQ closed the MQTT 3.1.1 device's connection",
                        () -> !device311.getState().isConnected());
            } finally {
                kafka.thaw();
            }

            // The client completes the publish with the PUBACK in an exception when the PUBACK carries an error.
            ExecutionException nack = assertThrows(ExecutionException.class, result::get);
            Mqtt5PubAck pubAck = ((Mqtt5PubAckException) nack.getCause()).getMqttMessage();
            assertEquals(Mqtt5PubAckReasonCode.UNSPECIFIED_ERROR, pubAck.getReasonCode());
            assertEquals("Tributary: the routes did not finish within PT2S",
                    pubAck.getReasonString().map(Object::toString).orElse(""));
            assertFalse(result311.isDone() && !result311.isCompletedExceptionally(), "no PUBACK for MQTT 3.1.1");
            // The routes went on once Kafka answered: the devices' resends would be duplicates, never a loss.
            assertEquals(Set.of("warm-up", "late-5", "late-311"), Set.copyOf(KafkaTopic.payloads(
                    kafka.bootstrapServers(), topic, 3, Duration.ofSeconds(30))));
            assertFalse(witnessed.contains("late-5"), "HiveMQ's subscribers do not get a message nacked");
            device.disconnect().get(10, TimeUnit.SECONDS);
            witness.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Measured: HiveMQ runs a client's CONNECT through the same per-client task queue as its held publish, so a device
     * that comes back while its publish is held gets its CONNACK only after the hold ended; then its resend is
     * answered with a PUBREC, the sink having the message by then. At least once: a resend the route takes again
     * would be a duplicate in Kafka, never a loss.
     */
    @Test
    void aQos2PublishResentAfterAReconnectWhileHeldIsNeverLost() throws Exception {
        String topic = newTopic("qos2-resend");
        try (HiveMqWithTributary hivemq = HiveMqWithTributary.start(folder, routeTo(topic))) {
            Mqtt5AsyncClient device = Devices.mqtt5(hivemq, "device-q2");
            Devices.connectPersistent(device);
            assertSuccess(publish(device, "warm-up").get(30, TimeUnit.SECONDS));

            kafka.freeze();
            CompletableFuture<Mqtt5PublishResult> held;
            CompletableFuture<?> reconnect;
            try {
                held = device.publishWith().topic("sites/north/t").qos(MqttQos.EXACTLY_ONCE)
                        .payload("resent".getBytes(StandardCharsets.UTF_8)).send();
                Await.holds(Duration.ofSeconds(2), "no PUBREC while Kafka is frozen", () -> !held.isDone());
                // The device goes away before its PUBREC and comes back to its session, where the client sends the
                // PUBLISH again, with DUP and the same packet identifier.
                device.disconnect().get(10, TimeUnit.SECONDS);
                reconnect = device.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
                Await.holds(Duration.ofSeconds(3), "no CONNACK and no PUBREC while the publish is still held",
                        () -> !reconnect.isDone() && !held.isDone());
            } finally {
                kafka.thaw();
            }

            reconnect.get(30, TimeUnit.SECONDS);
            Mqtt5PublishResult result = held.get(30, TimeUnit.SECONDS);
            assertTrue(result.getError().isEmpty(), () -> "QoS 2 publish failed: " + result.getError());
            List<String> inKafka = KafkaTopic.payloads(kafka.bootstrapServers(), topic, 2, Duration.ofSeconds(30));
            assertTrue(inKafka.contains("resent"), () -> "the resent message reached Kafka: " + inKafka);
            assertEquals(1, inKafka.stream().filter("warm-up"::equals).count(), () -> "in Kafka: " + inKafka);
            device.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRouteThatFailsPastItsRetriesNacksTheDeviceAndHiveMqDoesNotDeliver() throws Exception {
        try (WebhookServer webhook = WebhookServer.start()) {
            webhook.script("/alarms", (request, index) -> WebhookServer.Answer.status(500));
            String yaml = """
                    routes:
                      - name: alarms
                        from: { mqtt: "alarms/{device}" }
                        to: { http: { url: "%s", method: POST } }
                        retry: { max-attempts: 2, initial-backoff: 100ms, max-backoff: 100ms }
                    """.formatted(webhook.url("/alarms"));
            try (HiveMqWithTributary hivemq = HiveMqWithTributary.start(folder, yaml)) {
                Queue<String> witnessed = new ConcurrentLinkedQueue<>();
                Mqtt5AsyncClient witness = connect(hivemq, "witness");
                witness.subscribeWith().topicFilter("alarms/#").qos(MqttQos.AT_LEAST_ONCE)
                        .callback(p -> witnessed.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                        .send().get(10, TimeUnit.SECONDS);
                Mqtt5AsyncClient device = connect(hivemq, "d9");

                CompletableFuture<Mqtt5PublishResult> result = device.publishWith().topic("alarms/d9")
                        .qos(MqttQos.AT_LEAST_ONCE).payload("smoke".getBytes(StandardCharsets.UTF_8)).send();

                ExecutionException nack = assertThrows(ExecutionException.class,
                        () -> result.get(30, TimeUnit.SECONDS));
                Mqtt5PubAck pubAck = ((Mqtt5PubAckException) nack.getCause()).getMqttMessage();
                assertEquals(Mqtt5PubAckReasonCode.UNSPECIFIED_ERROR, pubAck.getReasonCode());
                assertTrue(pubAck.getReasonString().map(Object::toString).orElse("").startsWith("Tributary: "),
                        () -> "reason: " + pubAck.getReasonString());
                assertEquals(2, webhook.requests("/alarms").size(), "both attempts made before the answer");

                // MQTT 3.1.1 has no negative PUBACK: HiveMQ closes the connection instead, and the device resends.
                Mqtt3AsyncClient device311 = connect311(hivemq, "d10");
                CompletableFuture<Mqtt3Publish> result311 = device311.publishWith().topic("alarms/d10")
                        .qos(MqttQos.AT_LEAST_ONCE).payload("fire".getBytes(StandardCharsets.UTF_8)).send();
                Await.until(Duration.ofSeconds(30), "HiveMQ closed the MQTT 3.1.1 device's connection",
                        () -> !device311.getState().isConnected());
                assertFalse(result311.isDone() && !result311.isCompletedExceptionally(), "no PUBACK for MQTT 3.1.1");
                assertEquals(4, webhook.requests("/alarms").size(), "both attempts made for each device");
                Await.holds(Duration.ofSeconds(1), "HiveMQ's subscriber does not get a message the device will "
                        + "send again", witnessed::isEmpty);
                device.disconnect().get(10, TimeUnit.SECONDS);
                witness.disconnect().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aPayloadThatCanNeverBeMappedIsDeadLetteredAndAcknowledged() throws Exception {
        try (WebhookServer webhook = WebhookServer.start()) {
            String yaml = """
                    routes:
                      - name: readings
                        from: { mqtt: "readings/{device}" }
                        to: { http: { url: "%s/{json.site}", method: POST } }
                    """.formatted(webhook.url("/readings"));
            try (HiveMqWithTributary hivemq = HiveMqWithTributary.start(folder, yaml)) {
                Queue<String> deadLetters = new ConcurrentLinkedQueue<>();
                Mqtt5AsyncClient watcher = connect(hivemq, "dead-letter-watcher");
                watcher.subscribeWith().topicFilter("$dead-letter/#").qos(MqttQos.AT_LEAST_ONCE)
                        .callback(p -> deadLetters.add(p.getTopic() + " " + new String(p.getPayloadAsBytes(),
                                StandardCharsets.UTF_8)))
                        .send().get(10, TimeUnit.SECONDS);
                Mqtt5AsyncClient device = connect(hivemq, "d3");

                Mqtt5PublishResult result = device.publishWith().topic("readings/d3").qos(MqttQos.AT_LEAST_ONCE)
                        .payload("plain text".getBytes(StandardCharsets.UTF_8)).send().get(30, TimeUnit.SECONDS);

                assertSuccess(result);
                Await.until(Duration.ofSeconds(10), "the dead letter reached HiveMQ's subscriber",
                        () -> List.copyOf(deadLetters), got -> got.equals(List.of("$dead-letter/readings plain text")));
                assertEquals(List.of(), webhook.requests("/readings"));
                device.disconnect().get(10, TimeUnit.SECONDS);
                watcher.disconnect().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aClientConnectingRightAfterStartIsRoutedCountedAndStopLeavesNoThreadBehind() throws Exception {
        String topic = newTopic("boot");
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (HiveMqWithTributary hivemq = HiveMqWithTributary.start(folder, routeTo(topic))) {
            Mqtt5AsyncClient device = connect(hivemq, "device-at-boot");
            assertSuccess(publish(device, "first").get(30, TimeUnit.SECONDS));
            assertEquals(List.of("first"), KafkaTopic.payloads(kafka.bootstrapServers(), topic, 1,
                    Duration.ofSeconds(30)));
            assertFalse(threadsStartedSince(before).isEmpty(), "the routes run on threads of their own");
            Await.until(Duration.ofSeconds(10), "the route's delivery counted in HiveMQ's metric registry",
                    () -> hivemq.hivemq().getMetricRegistry().getGauges((name, metric) ->
                            name.startsWith("tributary.route.messages.delivered.")).values().stream()
                            .map(gauge -> ((Number) gauge.getValue()).doubleValue()).toList(),
                    values -> values.equals(List.of(1.0)));
            device.disconnect().get(10, TimeUnit.SECONDS);
        }
        Await.until(Duration.ofSeconds(30), "no thread left of HiveMQ and Tributary", () -> {
            System.gc(); // the JDK HTTP client's selector thread ends once its client is unreachable
            return threadsStartedSince(before);
        }, List::isEmpty);
    }

    @Test
    void kafkaRecordsReachADeviceThroughHiveMqsPublishService() throws Exception {
        String commands = newTopic("commands");
        String yaml = RouteYaml.commandsFromKafka(kafka.bootstrapServers(), commands, "commands-" + commands);
        try (HiveMqWithTributary hivemq = HiveMqWithTributary.start(folder, yaml)) {
            Queue<String> received = new ConcurrentLinkedQueue<>();
            Mqtt5AsyncClient device = connect(hivemq, "d7");
            device.subscribeWith().topicFilter("devices/d7/commands").qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> received.add(p.getQos() + " " + new String(p.getPayloadAsBytes(),
                            StandardCharsets.UTF_8)))
                    .send().get(10, TimeUnit.SECONDS);

            KafkaTopic.send(kafka.bootstrapServers(), commands, "d7", "open valve");

            Await.until(Duration.ofSeconds(30), "the device got the command", () -> List.copyOf(received),
                    got -> got.equals(List.of("AT_LEAST_ONCE open valve")));
            device.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Threads alive now that were not before, other than the JVM-wide ones that libraries keep for the JVM's life:
     * the test's MQTT client (its Netty loop and RxJava's schedulers), JNA's cleaner (loaded by HiveMQ's system
     * information) and the JDK's process reaper.
     */
    private static List<String> threadsStartedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> !name.startsWith("com.hivemq.client.") && !name.startsWith("Rx")
                        && !name.equals("JNA Cleaner") && !name.equals("process reaper"))
                .sorted()
                .collect(Collectors.toList());
    }

    private static String newTopic(String prefix) {
        String topic = KafkaServer.uniqueTopic(prefix);
        kafka.createTopic(topic, 1);
        return topic;
    }

    private static String routeTo(String topic) {
        return RouteYaml.telemetryToKafka(kafka.bootstrapServers(), topic);
    }

    private static CompletableFuture<Mqtt3Publish> publish311(Mqtt3AsyncClient device, String payload) {
        return device.publishWith().topic("sites/south/t").qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient device, String payload) {
        return device.publishWith().topic("sites/north/t").qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }
}
