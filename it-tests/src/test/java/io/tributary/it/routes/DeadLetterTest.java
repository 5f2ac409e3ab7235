package io.tributary.it.routes;

import io.tributary.testsupport.net.FreePort;
import static io.tributary.it.support.KafkaRecords.header;
import static io.tributary.it.support.KafkaRecords.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;

import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.tributary.testsupport.kafka.KafkaServer;
import io.tributary.it.support.KafkaRecords;
import io.tributary.it.support.PubAcks;
import io.tributary.it.support.TestTributary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;


import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to a message a route cannot deliver: a mapping failure goes straight to the dead-letter
 * destination (Kafka or MQTT) with the route and the error attached, and the device's PUBACK says its payload
 * was refused (0x99); a sink that stays down ends there after its retries, and the PUBACK succeeds because the
 * message is kept; without a dead-letter destination a sink that stays down fails the PUBACK, so the device
 * sends the message again.
 */
class DeadLetterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path data;
    static KafkaServer kafka;
    static TestTributary tributary;
    static Mqtt5AsyncClient device;
    static String mappingDeadLetters;
    static String downDeadLetters;

    @BeforeAll
    static void start() {
        kafka = KafkaServer.shared();
        String unused = KafkaServer.uniqueTopic("never-written");
        mappingDeadLetters = KafkaServer.uniqueTopic("dead-mapping");
        downDeadLetters = KafkaServer.uniqueTopic("dead-down");
        kafka.createTopic(mappingDeadLetters, 1);
        kafka.createTopic(downDeadLetters, 1);
        tributary = TestTributary.start(data, """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                    down:
                      bootstrap-servers: "127.0.0.1:%d"
                      properties: { max.block.ms: "500", delivery.timeout.ms: "1500", request.timeout.ms: "1000" }
                routes:
                  - name: json-to-kafka
                    from: { mqtt: "json/{device}" }
                    to: { kafka: { connection: main, topic: "%s.{json.site}" } }
                    dead-letter: { kafka: { connection: main, topic: "%s" } }
                  - name: json-to-kafka-mqtt-dead-letter
                    from: { mqtt: "json-mqtt/{device}" }
                    to: { kafka: { connection: main, topic: "%s.{json.site}" } }
                    dead-letter: { mqtt: { topic: "dead/{route}/{device}" } }
                  - name: to-a-kafka-that-is-down
                    from: { mqtt: "down/{device}" }
                    to: { kafka: { connection: down, topic: "%s" } }
                    retry: { max-attempts: 2, initial-backoff: 100ms }
                    dead-letter: { kafka: { connection: main, topic: "%s" } }
                  - name: down-without-dead-letter
                    from: { mqtt: "down-no-dead-letter/{device}" }
                    to: { kafka: { connection: down, topic: "%s" } }
                    retry: { max-attempts: 2, initial-backoff: 100ms }
                """.formatted(kafka.bootstrapServers(), FreePort.onLoopback(), unused, mappingDeadLetters, unused, unused,
                downDeadLetters, unused));
        device = tributary.mqtt5Async("device-7");
    }

    @AfterAll
    static void stop() {
        if (device != null) {
            device.disconnect().join();
        }
        if (tributary != null) {
            tributary.close();
        }
    }

    @Test
    void mappingFailureGoesToTheKafkaDeadLetterTopicWithRouteAndErrorAndThePubackSaysThePayloadWasRefused()
            throws Exception {
        long sentAt = System.nanoTime();
        // Acknowledged, since the dead letter keeps the message, with the reason the route could not use it.
        assertEquals(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID, publish("json/d1", "not json at all"));
        // The default retry (five attempts, 1 s doubling) would hold the PUBACK for 15 s.
        assertTrue(System.nanoTime() - sentAt < TimeUnit.SECONDS.toNanos(10), "the mapping failure was retried");

        ConsumerRecord<String, byte[]> deadLetter = first(mappingDeadLetters);
        assertEquals("not json at all", text(deadLetter));
        assertEquals("json-to-kafka", header(deadLetter, "tributary-route"));
        assertTrue(header(deadLetter, "tributary-error").contains("not JSON"), header(deadLetter, "tributary-error"));
        assertEquals("json/d1", header(deadLetter, "mqtt.topic"));
        assertEquals("device-7", header(deadLetter, "mqtt.client-id"));
    }

    @Test
    void mappingFailureGoesToAnMqttDeadLetterTopicWithRouteAndErrorAsUserProperties() throws Exception {
        Mqtt5BlockingClient watcher = tributary.mqtt5("dead-letter-watcher");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("dead/#").qos(MqttQos.AT_LEAST_ONCE).send();
            assertEquals(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID, publish("json-mqtt/d2", "{broken"));

            Optional<Mqtt5Publish> received = publishes.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(received.isPresent(), "no dead letter on dead/#");
            Mqtt5Publish deadLetter = received.get();
            assertEquals("dead/json-to-kafka-mqtt-dead-letter/d2", deadLetter.getTopic().toString());
            assertEquals("{broken", new String(deadLetter.getPayloadAsBytes(), StandardCharsets.UTF_8));
            Map<String, String> properties = deadLetter.getUserProperties().asList().stream()
                    .collect(Collectors.toMap(p -> p.getName().toString(), p -> p.getValue().toString()));
            assertEquals("json-to-kafka-mqtt-dead-letter", properties.get("tributary-route"));
            assertTrue(properties.get("tributary-error").contains("not JSON"), properties.toString());
        } finally {
            watcher.disconnect();
        }
    }

    @Test
    void messageForASinkThatStaysDownEndsInTheDeadLetterTopicAfterItsRetries() throws Exception {
        assertEquals(Mqtt5PubAckReasonCode.SUCCESS, publish("down/d3", "kept"));

        ConsumerRecord<String, byte[]> deadLetter = first(downDeadLetters);
        assertEquals("kept", text(deadLetter));
        assertEquals("to-a-kafka-that-is-down", header(deadLetter, "tributary-route"));
        String error = header(deadLetter, "tributary-error");
        assertFalse(error == null || error.isBlank(), "no tributary-error header");
    }

    @Test
    void failingQos1PublishWithoutDeadLetterGetsAFailedPuback() throws Exception {
        assertEquals(Mqtt5PubAckReasonCode.UNSPECIFIED_ERROR, publish("down-no-dead-letter/d4", "lost?"));
    }

    private static Mqtt5PubAckReasonCode publish(String topic, String payload) throws Exception {
        return PubAcks.publishQos1(device, topic, payload, WAIT);
    }

    private static ConsumerRecord<String, byte[]> first(String topic) {
        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.read(kafka.bootstrapServers(), topic, 1, WAIT);
        assertFalse(records.isEmpty(), () -> "no record in " + topic);
        return records.get(0);
    }
}
