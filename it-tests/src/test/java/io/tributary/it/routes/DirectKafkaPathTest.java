package io.tributary.it.routes;

import static io.tributary.it.support.KafkaRecords.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import io.micrometer.core.instrument.Counter;
import io.tributary.it.support.KafkaRecords;
import io.tributary.it.support.PubAcks;
import io.tributary.it.support.TestTributary;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.kafka.KafkaServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes from the broker into Kafka deliver without a Camel exchange when they can (the direct path): a plain
 * route, one with a condition, templates and headers take it; a route with a buffer does not. A record written on
 * the direct path is the record the Camel steps write; a message the direct path cannot deliver still reaches the
 * route's dead letter; the route's meters count the messages of the direct path.
 */
class DirectKafkaPathTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path data;
    static KafkaServer kafka;
    static TestTributary tributary;
    static Mqtt5AsyncClient device;
    static String direct;
    static String buffered;
    static String filtered;

    @BeforeAll
    static void start() {
        kafka = KafkaServer.shared();
        direct = KafkaServer.uniqueTopic("direct");
        buffered = KafkaServer.uniqueTopic("buffered");
        filtered = KafkaServer.uniqueTopic("filtered");
        kafka.createTopic(direct, 1);
        kafka.createTopic(buffered, 1);
        kafka.createTopic(filtered, 1);
        // Both "same" routes take every message of same/+: one through the Camel steps (buffered), one directly.
        tributary = TestTributary.start(data, """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                    small:
                      bootstrap-servers: "%s"
                      properties: { max.request.size: "2000" }
                routes:
                  - name: same-direct
                    from: { mqtt: "same/{device}" }
                    to:
                      kafka:
                        connection: main
                        topic: "%s"
                        key: "{device}-{header.tenant}"
                        headers: { route-site: "{json.site}", Tenant: "from-route", kafka.hidden: "dropped" }
                  - name: same-buffered
                    from: { mqtt: "same/{device}" }
                    to:
                      kafka:
                        connection: main
                        topic: "%s"
                        key: "{device}-{header.tenant}"
                        headers: { route-site: "{json.site}", Tenant: "from-route", kafka.hidden: "dropped" }
                    ack: buffer
                  - name: hot
                    from: { mqtt: "hot/{device}" }
                    condition: "{json.temperature} > 30"
                    to: { kafka: { connection: main, topic: "%s", key: "{device}" } }
                  - name: too-large
                    from: { mqtt: "large/{device}" }
                    to: { kafka: { connection: small, topic: "%s" } }
                  - name: unmappable
                    from: { mqtt: "unmappable/{device}" }
                    to: { kafka: { connection: main, topic: "%s.{json.site}" } }
                """.formatted(kafka.bootstrapServers(), kafka.bootstrapServers(), direct, buffered, filtered, direct,
                direct));
        device = tributary.mqtt5Async("direct-device");
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
    void routesFromTheBrokerIntoKafkaTakeTheDirectPathUnlessTheyBuffer() {
        for (String route : List.of("same-direct", "hot", "too-large", "unmappable")) {
            assertTrue(tributary.deliversDirectly(route), route + " should deliver directly");
        }
        assertFalse(tributary.deliversDirectly("same-buffered"), "a buffered route keeps its Camel steps");
    }

    @Test
    void theDirectPathWritesTheRecordTheCamelStepsWrite() throws Exception {
        device.publishWith().topic("same/d1").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"site\":\"plant-7\",\"v\":1}".getBytes(StandardCharsets.UTF_8))
                .contentType("application/json")
                .responseTopic("replies/d1")
                .correlationData("corr-1".getBytes(StandardCharsets.UTF_8))
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                .userProperties().add("tenant", "acme").add("kafka.hidden", "dropped").add("tenant", "acme-2")
                .add("Camel-x", "dropped").applyUserProperties()
                .send().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        ConsumerRecord<String, byte[]> viaCamel = only(buffered);
        ConsumerRecord<String, byte[]> viaDirect = only(direct);
        assertEquals("d1-acme", viaCamel.key()); // {header.NAME} is the first of that name
        assertEquals(viaCamel.key(), viaDirect.key());
        assertEquals(text(viaCamel), text(viaDirect));
        assertEquals(headers(viaCamel), headers(viaDirect));
        assertTrue(headers(viaDirect).contains("route-site=plant-7"), headers(viaDirect).toString());
        assertTrue(headers(viaDirect).stream().noneMatch(h -> h.endsWith("=dropped")), headers(viaDirect).toString());
        assertTrue(headers(viaDirect).contains("mqtt.client-id=direct-device"), headers(viaDirect).toString());
    }

    @Test
    void aRecordTooLargeAndAnUnmappablePayloadReachTheDefaultDeadLetter() throws Exception {
        Mqtt5BlockingClient watcher = tributary.mqtt5("direct-dead-letter-watcher");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("$dead-letter/#").qos(MqttQos.AT_LEAST_ONCE).send();
            String large = "x".repeat(5_000);
            PubAcks.publishQos1(device, "large/d2", large, WAIT);
            PubAcks.publishQos1(device, "unmappable/d3", "not json", WAIT);

            Set<String> deadLetters = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                Optional<Mqtt5Publish> received = publishes.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(received.isPresent(), "dead letters so far: " + deadLetters);
                deadLetters.add(received.get().getTopic() + " "
                        + new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8).length());
            }
            assertEquals(Set.of("$dead-letter/too-large 5000", "$dead-letter/unmappable 8"), deadLetters);
        } finally {
            watcher.disconnect();
        }
        awaitCount("tributary.route.messages.dead.lettered", "too-large", 1);
        awaitCount("tributary.route.messages.dead.lettered", "unmappable", 1);
        assertEquals(1, count("tributary.route.messages.in", "too-large"), "counted once, by its exchange");
        assertEquals(0, count("tributary.route.messages.delivered", "too-large"));
    }

    @Test
    void theRouteMetersCountWhatTheDirectPathDeliveredAndFiltered() throws Exception {
        for (int i = 0; i < 10; i++) {
            PubAcks.publishQos1(device, "hot/d4", "{\"temperature\":" + (i < 7 ? 40 : 20) + "}", WAIT);
        }
        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readPast(kafka.bootstrapServers(), filtered, 7,
                WAIT);
        assertEquals(7, records.size());
        awaitCount("tributary.route.messages.in", "hot", 10);
        assertEquals(7, count("tributary.route.messages.delivered", "hot"));
        assertEquals(3, count("tributary.route.messages.filtered", "hot"));
        assertEquals(0, count("tributary.route.messages.failed", "hot"));
        assertEquals(10, tributary.bridge().metrics().find("tributary.route.latency").tag("route", "hot").timer()
                .count());
    }

    private static void awaitCount(String meter, String route, double expected) {
        Await.until(WAIT, meter + " of " + route, () -> count(meter, route), value -> value == expected);
    }

    private static double count(String meter, String route) {
        Counter counter = tributary.bridge().metrics().find(meter).tag("route", route).counter();
        return counter == null ? -1 : counter.count();
    }

    private static ConsumerRecord<String, byte[]> only(String topic) {
        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readPast(kafka.bootstrapServers(), topic, 1, WAIT);
        assertEquals(1, records.size(), "records in " + topic);
        return records.get(0);
    }

    private static List<String> headers(ConsumerRecord<String, byte[]> record) {
        List<String> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(header.key() + "=" + new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }
}
