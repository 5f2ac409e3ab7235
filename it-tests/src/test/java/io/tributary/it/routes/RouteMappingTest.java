package io.tributary.it.routes;

import static io.tributary.it.support.KafkaRecords.header;
import static io.tributary.it.support.KafkaRecords.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.testsupport.kafka.KafkaServer;
import io.tributary.testsupport.await.Await;
import io.tributary.it.support.KafkaRecords;
import io.tributary.it.support.TestTributary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each mapping feature of the configured routes, end to end: real MQTT clients publish to and subscribe at the
 * broker, a real Kafka holds the records. One broker and bridge serve every test; each test has its own routes
 * and topics.
 */
class RouteMappingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path data;
    static KafkaServer kafka;
    static TestTributary tributary;
    static Mqtt5BlockingClient device;

    static String telemetry;
    static String properties;
    static String extraHeaders;
    static String json;
    static String conditional;
    static String fanOutA;
    static String fanOutB;
    static String commands;

    @BeforeAll
    static void start() {
        kafka = KafkaServer.shared();
        telemetry = KafkaServer.uniqueTopic("telemetry");
        properties = KafkaServer.uniqueTopic("properties");
        extraHeaders = KafkaServer.uniqueTopic("extra-headers");
        json = KafkaServer.uniqueTopic("json");
        conditional = KafkaServer.uniqueTopic("conditional");
        fanOutA = KafkaServer.uniqueTopic("fan-out-a");
        fanOutB = KafkaServer.uniqueTopic("fan-out-b");
        commands = KafkaServer.uniqueTopic("commands");
        for (String topic : List.of(telemetry + ".s1", properties, extraHeaders, json + ".plant-7", conditional,
                fanOutA, fanOutB, commands)) {
            kafka.createTopic(topic, 1);
        }
        tributary = TestTributary.start(data, """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                routes:
                  - name: telemetry
                    from: { mqtt: "sites/{site}/devices/{device}/telemetry" }
                    to: { kafka: { connection: main, topic: "%s.{site}", key: "{device}" } }
                  - name: properties
                    from: { mqtt: "props/{device}" }
                    to: { kafka: { connection: main, topic: "%s", key: "{device}" } }
                  - name: extra-headers
                    from: { mqtt: "extra/{site}/{device}" }
                    to:
                      kafka:
                        connection: main
                        topic: "%s"
                        headers: { tenant: "{header.tenant}", origin: "{site}/{client-id}/qos{qos}" }
                  - name: json
                    from: { mqtt: "json/{device}" }
                    to:
                      kafka:
                        connection: main
                        topic: "%s.{json.site}"
                        key: "{json.meta.id}"
                        headers: { temperature: "{json.readings.0.value}" }
                  - name: conditional
                    from: { mqtt: "cond/{site}" }
                    to: { kafka: { connection: main, topic: "%s" } }
                    condition: "{json.temp} > 30 and {site} != 'test'"
                  - name: fan-out-a
                    from: { mqtt: "fan/{device}" }
                    to: { kafka: { connection: main, topic: "%s", key: "{device}" } }
                  - name: fan-out-b
                    from: { mqtt: "fan/{device}" }
                    to: { kafka: { connection: main, topic: "%s", key: "{device}" } }
                  - name: fan-out-mirror
                    from: { mqtt: "fan/{device}" }
                    to: { mqtt: { topic: "fan-mirror/{device}" } }
                  - name: commands
                    from: { kafka: { connection: main, topic: "%s", group: "tributary-commands" } }
                    to: { mqtt: { topic: "devices/{key}/{header.kind}/{json.action}", qos: 2, retain: true } }
                """.formatted(kafka.bootstrapServers(), telemetry, properties, extraHeaders, json, conditional,
                fanOutA, fanOutB, commands));
        device = tributary.mqtt5("device-1");
    }

    @AfterAll
    static void stop() {
        if (device != null) {
            device.disconnect();
        }
        if (tributary != null) {
            tributary.close();
        }
    }

    @Test
    void topicAndKeyAreRenderedFromTheFilterPlaceholders() {
        device.publishWith().topic("sites/s1/devices/d7/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("21.5")).send();

        ConsumerRecord<String, byte[]> record = single(telemetry + ".s1");
        assertEquals("d7", record.key());
        assertEquals("21.5", text(record));
    }

    @Test
    void mqttMetadataAndMqtt5PropertiesBecomeRecordHeaders() {
        byte[] correlation = {0, 1, 2, (byte) 0xFF};
        device.publishWith().topic("props/d1").qos(MqttQos.AT_LEAST_ONCE)
                .contentType("application/json")
                .responseTopic("replies/d1")
                .correlationData(correlation)
                .userProperties(Mqtt5UserProperties.builder().add("unit", "°C").add("firmware", "1.2.3").build())
                .payload(utf8("{\"t\":1}")).send();

        ConsumerRecord<String, byte[]> record = single(properties);
        assertEquals("props/d1", header(record, "mqtt.topic"));
        assertEquals("1", header(record, "mqtt.qos"));
        assertEquals("false", header(record, "mqtt.retain"));
        assertEquals("device-1", header(record, "mqtt.client-id"));
        assertEquals("application/json", header(record, "mqtt.content-type"));
        assertEquals("replies/d1", header(record, "mqtt.response-topic"));
        assertArrayEquals(correlation, record.headers().lastHeader("mqtt.correlation-data").value());
        assertArrayEquals("°C".getBytes(StandardCharsets.UTF_8), record.headers().lastHeader("unit").value());
        assertEquals("1.2.3", header(record, "firmware"));
        assertEquals("{\"t\":1}", text(record));
    }

    @Test
    void extraHeadersAreRenderedFromUserPropertiesAndPlaceholders() {
        device.publishWith().topic("extra/s2/d3").qos(MqttQos.EXACTLY_ONCE)
                .userProperties(Mqtt5UserProperties.builder().add("tenant", "acme").build())
                .payload(utf8("x")).send();

        ConsumerRecord<String, byte[]> record = single(extraHeaders);
        assertEquals("acme", header(record, "tenant"));
        assertEquals("s2/device-1/qos2", header(record, "origin"));
        assertEquals("2", header(record, "mqtt.qos"));
    }

    @Test
    void jsonFieldsFillTopicKeyAndHeaderTemplates() {
        device.publishWith().topic("json/d4").qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("{\"site\":\"plant-7\",\"meta\":{\"id\":\"m-42\"},\"readings\":[{\"value\":19.5}]}"))
                .send();

        ConsumerRecord<String, byte[]> record = single(json + ".plant-7");
        assertEquals("m-42", record.key());
        assertEquals("19.5", header(record, "temperature"));
    }

    @Test
    void conditionDropsTheMessagesItRefuses() {
        publish("cond/s1", "{\"temp\": 31}");
        publish("cond/s1", "{\"temp\": 20}");
        publish("cond/test", "{\"temp\": 40}");
        publish("cond/s2", "{\"temp\": 35.5}");
        publish("cond/s3", "{\"temp\": 99, \"last\": true}");

        // The route keeps the publisher's order and the topic has one partition: once the last message is
        // there, every earlier one that passed is there too.
        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readUntil(kafka.bootstrapServers(), conditional,
                got -> got.stream().anyMatch(r -> text(r).contains("last")), WAIT);
        assertEquals(List.of("cond/s1", "cond/s2", "cond/s3"),
                records.stream().map(r -> header(r, "mqtt.topic")).toList());
    }

    @Test
    @SuppressWarnings("try")
    void qos1PubackWaitsForEveryMatchingRoute() throws Exception {
        // The third route publishes into the broker; this subscriber holds that delivery until released.
        CompletableFuture<Void> release = new CompletableFuture<>();
        BlockingQueue<Message> mirrored = new LinkedBlockingQueue<>();
        Mqtt5AsyncClient publisher = tributary.mqtt5Async("fan-publisher");
        try (InProcessSubscription held = tributary.broker().subscribe("fan-mirror/#",
                SubscribeOptions.of(QoS.AT_LEAST_ONCE).holdingPublisherAck(), message -> {
                    mirrored.add(message);
                    return release;
                })) {
            CompletableFuture<Mqtt5PublishResult> puback = publisher.publishWith().topic("fan/d9")
                    .qos(MqttQos.AT_LEAST_ONCE).payload(utf8("both")).send();

            // Both Kafka routes have written and the mirror route is waiting: no PUBACK yet.
            assertEquals("both", text(single(fanOutA)));
            assertEquals("both", text(single(fanOutB)));
            assertNotNull(mirrored.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "the mirror route did not publish");
            assertFalse(puback.isDone(), "PUBACK came before the third route had delivered");

            release.complete(null);
            Mqtt5PublishResult result = puback.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(result.getError().isEmpty(), () -> "PUBACK failed: " + result.getError());
        } finally {
            release.complete(null); // a failed assertion must not leave the route waiting for the bridge's stop
            publisher.disconnect().join();
        }
    }

    @Test
    void kafkaRecordIsPublishedToATopicFromKeyHeaderAndJsonWithHeadersAsUserProperties() throws Exception {
        Mqtt5BlockingClient subscriber = tributary.mqtt5("commands-subscriber");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(
                com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("devices/d1/#").qos(MqttQos.EXACTLY_ONCE).send();
            KafkaRecords.produce(kafka.bootstrapServers(), List.of(KafkaRecords.record(commands, "d1",
                    "{\"action\":\"reboot\"}", "kind", "maintenance", "origin", "ops")));

            Optional<Mqtt5Publish> received = publishes.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(received.isPresent(), "the subscriber got no command");
            Mqtt5Publish command = received.get();
            assertEquals("devices/d1/maintenance/reboot", command.getTopic().toString());
            assertEquals(MqttQos.EXACTLY_ONCE, command.getQos());
            assertEquals("{\"action\":\"reboot\"}", new String(command.getPayloadAsBytes(), StandardCharsets.UTF_8));
            Map<String, String> userProperties = command.getUserProperties().asList().stream()
                    .collect(Collectors.toMap(p -> p.getName().toString(), p -> p.getValue().toString()));
            assertEquals(Map.of("kind", "maintenance", "origin", "ops"), userProperties);
        } finally {
            subscriber.disconnect();
        }
    }

    @Test
    void kafkaRecordIsPublishedRetainedWhenTheRouteSaysSo() throws Exception {
        KafkaRecords.produce(kafka.bootstrapServers(), List.of(KafkaRecords.record(commands, "d2",
                "{\"action\":\"calibrate\"}", "kind", "setup")));
        // The route publishes with no subscriber there; only the retained copy can reach one who comes later.
        String topic = "devices/d2/setup/calibrate";
        Await.until(WAIT, "the broker retains the command",
                () -> !tributary.broker().retainedMessages().matching(topic).isEmpty());

        Mqtt5BlockingClient late = tributary.mqtt5("late-subscriber");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = late.publishes(
                com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            late.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
            Optional<Mqtt5Publish> received = publishes.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(received.isPresent(), "no retained command for a later subscriber");
            assertTrue(received.get().isRetain());
            assertEquals(MqttQos.EXACTLY_ONCE, received.get().getQos());
        } finally {
            late.disconnect();
        }
    }

    private static void publish(String topic, String payload) {
        Mqtt5PublishResult result = device.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8(payload)).send();
        assertTrue(result.getError().isEmpty(), () -> "publish to " + topic + " failed: " + result.getError());
    }

    /** The first record of a topic, failing if none comes. */
    private static ConsumerRecord<String, byte[]> single(String topic) {
        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.read(kafka.bootstrapServers(), topic, 1, WAIT);
        assertFalse(records.isEmpty(), () -> "no record in " + topic);
        return records.get(0);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
