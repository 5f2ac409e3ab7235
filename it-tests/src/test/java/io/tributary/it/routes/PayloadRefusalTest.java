package io.tributary.it.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.tributary.it.support.KafkaRecords;
import io.tributary.it.support.PubAcks;
import io.tributary.it.support.TestTributary;
import io.tributary.testsupport.http.WebhookServer;
import io.tributary.testsupport.kafka.KafkaServer;
import io.tributary.testsupport.mosquitto.MosquittoTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A payload that a route can never deliver is never held against its device (issue 13): with no dead letter
 * configured, it goes to the default one, the MQTT topic {@code $dead-letter/ROUTE}, and the device is
 * acknowledged. An MQTT 3.1.1 {@code mosquitto_pub} gets its PUBACK and exits 0 instead of losing its
 * connection; an MQTT 5 client gets reason 0x99 (Payload format invalid) and stays connected. Each kind of
 * mapping failure, for each kind of sink: MQTT, Kafka, webhook and SQL.
 */
class PayloadRefusalTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path data;
    static TestTributary tributary;
    static WebhookServer webhook;
    static String kafkaTopic;
    static String commandTopic;
    static Mqtt5BlockingClient watcher;
    static Mqtt5BlockingClient.Mqtt5Publishes deadLetters;

    @BeforeAll
    static void start() {
        KafkaServer kafka = KafkaServer.shared();
        kafkaTopic = KafkaServer.uniqueTopic("refusal");
        kafka.createTopic(kafkaTopic + ".s1", 1);
        commandTopic = KafkaServer.uniqueTopic("refusal-commands");
        kafka.createTopic(commandTopic, 1);
        webhook = WebhookServer.start();
        tributary = TestTributary.start(data, """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                  jdbc:
                    local: embedded
                routes:
                  - name: to-mqtt
                    from: { mqtt: "in/mqtt/{device}" }
                    to: { mqtt: { topic: "out/{json.site}/{device}" } }
                  - name: to-kafka
                    from: { mqtt: "in/kafka/{device}" }
                    to: { kafka: { connection: main, topic: "%s.{json.site}", key: "{device}" } }
                  - name: to-webhook
                    from: { mqtt: "in/webhook/{device}" }
                    to: { http: { url: "%s/{json.site}" } }
                  - name: to-sql
                    from: { mqtt: "in/sql/{device}" }
                    to:
                      jdbc:
                        connection: local
                        table: readings
                        create-table: true
                        columns:
                          device: "{device}"
                          site: "{json.site}"
                          temp: { value: "{json.temp}", type: double }
                  - name: from-kafka
                    from: { kafka: { connection: main, topic: "%s" } }
                    to: { mqtt: { topic: "devices/{key}/commands/{json.action}" } }
                """.formatted(kafka.bootstrapServers(), kafkaTopic, webhook.url("/hook"), commandTopic));
        watcher = tributary.mqtt5("dead-letter-watcher");
        deadLetters = watcher.publishes(MqttGlobalPublishFilter.ALL);
        watcher.subscribeWith().topicFilter("$dead-letter/#").qos(MqttQos.AT_LEAST_ONCE).send();
    }

    @AfterAll
    static void stop() {
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (watcher != null) {
            watcher.disconnect();
        }
        if (tributary != null) {
            tributary.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    /** Sink, payload that sink cannot take, and what the error names. */
    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("mqtt", "plain text", "not JSON"),
                Arguments.of("mqtt", "{\"temp\": 21}", "{json.site}"),
                Arguments.of("kafka", "plain text", "not JSON"),
                Arguments.of("kafka", "{\"temp\": 21}", "{json.site}"),
                Arguments.of("webhook", "plain text", "not JSON"),
                Arguments.of("webhook", "{\"temp\": 21}", "{json.site}"),
                Arguments.of("sql", "plain text", "not JSON"),
                Arguments.of("sql", "{\"site\": \"s1\", \"temp\": \"hot\"}", "temp"));
    }

    @ParameterizedTest(name = "{0} sink, payload {1}")
    @MethodSource("refusals")
    void mqtt311DeviceIsAcknowledgedAndTheMessageDeadLettered(String sink, String payload, String named)
            throws Exception {
        assumeTrue(MosquittoTools.installed("mosquitto_pub"), "mosquitto_pub is not installed");
        String topic = "in/" + sink + "/d311";
        MosquittoTools.Result published = MosquittoTools.run(WAIT, List.of("mosquitto_pub", "-h", "127.0.0.1",
                "-p", String.valueOf(tributary.mqttPort()), "-V", "mqttv311", "-q", "1", "-i", "d311-" + sink,
                "-t", topic, "-m", payload));
        assertEquals(0, published.exitCode(), "mosquitto_pub 3.1.1 was not acknowledged: " + published.output());

        assertDeadLetter(sink, payload, named);
    }

    @ParameterizedTest(name = "{0} sink, payload {1}")
    @MethodSource("refusals")
    void mqtt5DeviceGetsPayloadFormatInvalidAndStaysConnected(String sink, String payload, String named)
            throws Exception {
        Mqtt5AsyncClient device = tributary.mqtt5Async("d5-" + sink);
        try {
            String topic = "in/" + sink + "/d5";
            assertEquals(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID, publish(device, topic, payload));
            assertDeadLetter(sink, payload, named);
            assertTrue(device.getState().isConnected(), "the device was disconnected for its payload");
        } finally {
            device.disconnect().join();
        }
    }

    @Test
    void mosquittoPubOverMqtt5ReportsTheRefusalWithoutLosingItsConnection() throws Exception {
        assumeTrue(MosquittoTools.installed("mosquitto_pub"), "mosquitto_pub is not installed");
        String topic = "in/kafka/d5-mosquitto";
        MosquittoTools.Result published = MosquittoTools.run(WAIT, List.of("mosquitto_pub", "-h", "127.0.0.1",
                "-p", String.valueOf(tributary.mqttPort()), "-V", "mqttv5", "-q", "1", "-t", topic, "-m", "plain"));
        assertTrue(!published.output().contains("connection was lost"), published.output());
        assertDeadLetter("kafka", "plain", "not JSON");
    }

    @Test
    void aKafkaRecordThatCannotBeMappedIsDeadLetteredAndDoesNotStopThePartition() throws Exception {
        Mqtt5BlockingClient device = tributary.mqtt5("kafka-device");
        try (Mqtt5BlockingClient.Mqtt5Publishes commands = device.publishes(MqttGlobalPublishFilter.ALL)) {
            device.subscribeWith().topicFilter("devices/k1/commands/#").qos(MqttQos.AT_LEAST_ONCE).send();
            KafkaRecords.produce(KafkaServer.shared().bootstrapServers(), List.of(
                    KafkaRecords.record(commandTopic, "k1", "reboot, please"),
                    KafkaRecords.record(commandTopic, "k1", "{\"action\": \"reboot\"}")));

            assertDeadLetter("from-kafka", "reboot, please", "not JSON");
            Optional<Mqtt5Publish> command = commands.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(command.isPresent(), "the record after the refused one was not delivered");
            assertEquals("devices/k1/commands/reboot", command.get().getTopic().toString());
        } finally {
            device.disconnect();
        }
    }

    @Test
    void aPayloadTheRouteCanUseStillGoesThrough() throws Exception {
        Mqtt5AsyncClient device = tributary.mqtt5Async("good-device");
        try {
            assertEquals(Mqtt5PubAckReasonCode.SUCCESS, publish(device, "in/kafka/good", "{\"site\": \"s1\"}"));
            assertEquals("{\"site\": \"s1\"}", KafkaRecords.text(KafkaRecords.read(
                    KafkaServer.shared().bootstrapServers(), kafkaTopic + ".s1", 1, WAIT).get(0)));
        } finally {
            device.disconnect().join();
        }
    }

    @Test
    void aPayloadRefusedByOneRouteIsAcknowledgedWhenASubscriberTookIt() throws Exception {
        Mqtt5BlockingClient subscriber = tributary.mqtt5("also-interested");
        Mqtt5AsyncClient device = tributary.mqtt5Async("shared-topic-device");
        try {
            subscriber.subscribeWith().topicFilter("in/mqtt/#").qos(MqttQos.AT_LEAST_ONCE).send();
            assertEquals(Mqtt5PubAckReasonCode.SUCCESS, publish(device, "in/mqtt/both", "plain text"),
                    "a subscriber took the message: no reason to tell the device it was refused");
            assertDeadLetter("mqtt", "plain text", "not JSON");
        } finally {
            device.disconnect().join();
            subscriber.disconnect();
        }
    }

    private static Mqtt5PubAckReasonCode publish(Mqtt5AsyncClient device, String topic, String payload)
            throws Exception {
        return PubAcks.publishQos1(device, topic, payload, WAIT);
    }

    private static void assertDeadLetter(String sink, String payload, String named) throws Exception {
        Optional<Mqtt5Publish> received = deadLetters.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(received.isPresent(), "no dead letter on $dead-letter/#");
        Mqtt5Publish deadLetter = received.get();
        String route = sink.startsWith("from-") ? sink : "to-" + sink;
        assertEquals("$dead-letter/" + route, deadLetter.getTopic().toString());
        assertEquals(payload, new String(deadLetter.getPayloadAsBytes(), StandardCharsets.UTF_8));
        Map<String, String> properties = deadLetter.getUserProperties().asList().stream()
                .collect(Collectors.toMap(p -> p.getName().toString(), p -> p.getValue().toString(), (a, b) -> b));
        assertEquals(route, properties.get("tributary-route"));
        assertTrue(properties.get("tributary-error").contains(named), properties.toString());
    }
}
