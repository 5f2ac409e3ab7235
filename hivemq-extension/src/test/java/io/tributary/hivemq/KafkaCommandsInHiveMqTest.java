package io.tributary.hivemq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.http.WebhookServer;
import io.tributary.testsupport.kafka.KafkaServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka records routed to devices inside HiveMQ CE, with a real Kafka and real MQTT clients: a record's offset is
 * committed only once HiveMQ's {@code PublishService} and every route subscribed to the device topic took the
 * message, and a device offline with a persistent session gets the commands when it comes back.
 */
class KafkaCommandsInHiveMqTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    @Test
    void theOffsetIsCommittedOnlyAfterTheMessageWasTakenAndAnOfflineDeviceGetsItsCommandsOnReconnect()
            throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        String commands = KafkaServer.uniqueTopic("commands");
        kafka.createTopic(commands, 1);
        String group = "commands-" + commands;
        CountDownLatch auditAnswers = new CountDownLatch(1);
        try (WebhookServer audit = WebhookServer.start()) {
            // A second route reads the device topic too: the publish is taken once HiveMQ queued it for the device
            // and this route's webhook answered, so holding the webhook holds the offset.
            audit.script("/audit", (request, index) -> {
                auditAnswers.await(60, TimeUnit.SECONDS);
                return WebhookServer.Answer.status(200);
            });
            String yaml = RouteYaml.commandsFromKafka(kafka.bootstrapServers(), commands, group) + """
                      - name: audit
                        from: { mqtt: "devices/{device}/commands" }
                        to: { http: { url: "%s", method: POST } }
                    """.formatted(audit.url("/audit"));
            try (HiveMqWithTributary hivemq = HiveMqWithTributary.start(folder, yaml)) {
                Queue<String> received = new ConcurrentLinkedQueue<>();
                Mqtt5AsyncClient device = Devices.mqtt5(hivemq, "d8");
                device.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(p.getQos() + " "
                        + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
                Devices.connectPersistent(device);
                device.subscribeWith().topicFilter("devices/d8/commands").qos(MqttQos.AT_LEAST_ONCE)
                        .send().get(10, TimeUnit.SECONDS);
                device.disconnect().get(10, TimeUnit.SECONDS);

                KafkaTopic.send(kafka.bootstrapServers(), commands, "d8", "open valve");
                Await.until(WAIT, "the audit route got the command", () -> audit.requests("/audit").size() == 1);
                Await.holds(Duration.ofSeconds(2), "no offset committed while a route holds the message",
                        () -> KafkaTopic.committedOffset(kafka.bootstrapServers(), group, commands) == 0);
                auditAnswers.countDown();
                Await.until(WAIT, "the offset committed once the message was taken",
                        () -> KafkaTopic.committedOffset(kafka.bootstrapServers(), group, commands) == 1);
                KafkaTopic.send(kafka.bootstrapServers(), commands, "d8", "close valve");
                Await.until(WAIT, "the second offset committed while the device is offline",
                        () -> KafkaTopic.committedOffset(kafka.bootstrapServers(), group, commands) == 2);
                assertEquals(List.of(), List.copyOf(received), "the device was offline");

                Devices.connectPersistent(device);
                Await.until(WAIT, "HiveMQ delivered the queued commands on reconnect", () -> List.copyOf(received),
                        got -> got.equals(List.of("AT_LEAST_ONCE open valve", "AT_LEAST_ONCE close valve")));
                device.disconnect().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The documented limit: HiveMQ's {@code PublishService} completes a publish that a full offline queue drops, so
     * the offset of a command HiveMQ discarded is committed; only HiveMQ's drop counter shows it.
     */
    @Test
    void aCommandThatHiveMqDropsForAFullOfflineQueueIsCommittedAndCounted() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        String commands = KafkaServer.uniqueTopic("dropped");
        kafka.createTopic(commands, 1);
        String group = "commands-" + commands;
        String queueOfTwo = """
                <queued-messages>
                    <max-queue-size>2</max-queue-size>
                    <strategy>discard</strategy>
                </queued-messages>
                """;
        try (HiveMqWithTributary hivemq = HiveMqWithTributary.start(folder,
                RouteYaml.commandsFromKafka(kafka.bootstrapServers(), commands, group), queueOfTwo)) {
            Queue<String> received = new ConcurrentLinkedQueue<>();
            Mqtt5AsyncClient device = Devices.mqtt5(hivemq, "d9");
            device.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(
                    new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
            Devices.connectPersistent(device);
            device.subscribeWith().topicFilter("devices/d9/commands").qos(MqttQos.AT_LEAST_ONCE)
                    .send().get(10, TimeUnit.SECONDS);
            device.disconnect().get(10, TimeUnit.SECONDS);

            for (int i = 1; i <= 5; i++) {
                KafkaTopic.send(kafka.bootstrapServers(), commands, "d9", "command " + i);
            }
            Await.until(WAIT, "all five offsets committed",
                    () -> KafkaTopic.committedOffset(kafka.bootstrapServers(), group, commands) == 5);
            Devices.connectPersistent(device);
            Await.until(WAIT, "the two queued commands delivered", () -> received.size() >= 2);
            Await.holds(Duration.ofSeconds(1), "no more than the queue held", () -> received.size() == 2);
            assertEquals(List.of("command 1", "command 2"), List.copyOf(received));
            assertEquals(3L, hivemq.hivemq().getMetricRegistry().getCounters()
                    .get("com.hivemq.messages.dropped.count").getCount(), "HiveMQ counted the three it dropped");
            device.disconnect().get(10, TimeUnit.SECONDS);
        }
    }
}
