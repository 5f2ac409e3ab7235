package io.tributary.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.micrometer.core.instrument.FunctionCounter;
import io.tributary.it.support.Teardown;
import io.tributary.it.support.TestTributary;
import io.tributary.routes.metrics.LinkMeters;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.mosquitto.MosquittoBroker;
import io.tributary.testsupport.mosquitto.MosquittoTools;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes that publish to a real Mosquitto, watched by witness subscribers with persistent sessions there: a device's
 * QoS 1 message on the built-in broker reaches Mosquitto and the device's PUBACK waits for Mosquitto's; nothing
 * acknowledged to the device is lost across a Mosquitto {@code kill -9} and restart; MQTT 5 properties pass from
 * Mosquitto through a route back to Mosquitto; a publish past {@code publish-timeout} is retried and dead-lettered;
 * and a pair of routes that sends messages in a circle stops at {@code max-hops}.
 */
class RoutesToExternalBrokerTest {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesToExternalBrokerTest.class);

    @TempDir
    Path data;
    private MosquittoBroker mosquitto;
    private TestTributary tributary;
    private Mqtt5AsyncClient witness;
    private final ConcurrentLinkedQueue<Mqtt5Publish> seen = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() {
        assumeTrue(MosquittoTools.installed("mosquitto"), "mosquitto is not installed");
        mosquitto = MosquittoBroker.builder(data).allowAnonymous().persistence().start();
        witness = MqttClient.builder().useMqttVersion5().identifier("witness").serverHost("127.0.0.1")
                .serverPort(mosquitto.port())
                .automaticReconnect().initialDelay(100, TimeUnit.MILLISECONDS).maxDelay(1, TimeUnit.SECONDS)
                .applyAutomaticReconnect().buildAsync();
        witness.connectWith().cleanStart(true).sessionExpiryInterval(3600).send().orTimeout(10, TimeUnit.SECONDS)
                .join();
        for (String filter : List.of("edge/#", "out/#", "loop/#")) {
            witness.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).callback(seen::add).send()
                    .orTimeout(10, TimeUnit.SECONDS).join();
        }
        tributary = TestTributary.start(data.resolve("tributary"), """
                connections:
                  mqtt:
                    cloud: { url: "tcp://127.0.0.1:%1$d", client-id: tributary-cloud-it, session-expiry: 1h }
                    loop-in: { url: "tcp://127.0.0.1:%1$d", client-id: tributary-loop-in-it, max-hops: 3 }
                    impatient: { url: "tcp://127.0.0.1:%1$d", client-id: tributary-impatient-it, publish-timeout: 1s }
                routes:
                  - name: alarms-to-cloud
                    from: { mqtt: "sites/{site}/alarms/#" }
                    to:   { mqtt: { connection: cloud, topic: "edge/{site}/alarms", qos: 1 } }
                  - name: cloud-in-to-cloud-out
                    from: { mqtt: { connection: cloud, topic: "in/{x}" } }
                    to: { mqtt: { connection: cloud, topic: "out/{x}" } }
                  - name: loop-out
                    from: { mqtt: "loop/{x}" }
                    to: { mqtt: { connection: cloud, topic: "loop/{x}" } }
                  - name: urgent-to-cloud
                    from: { mqtt: "urgent/{x}" }
                    to: { mqtt: { connection: impatient, topic: "edge/urgent/{x}" } }
                    retry: { max-attempts: 2, initial-backoff: 100ms }
                    dead-letter: { mqtt: { topic: "dead/urgent/{x}" } }
                  - name: loop-back
                    from: { mqtt: { connection: loop-in, topic: "loop/{x}" } }
                    to: { mqtt: { topic: "loop/{x}" } }
                """.formatted(mosquitto.port()));
        Await.until(Duration.ofSeconds(10), "the links up", () -> linkState("cloud").equals("up")
                && linkState("loop-in").equals("up") && linkState("impatient").equals("up"));
    }

    @AfterEach
    void stop() throws Exception {
        // A witness whose Mosquitto is gone already has nothing to disconnect from.
        Teardown.closeInOrder(tributary, witness == null ? null : () -> witness.disconnect()
                .orTimeout(5, TimeUnit.SECONDS).exceptionally(gone -> null).join(), mosquitto);
    }

    @Test
    void aDevicesPubAckWaitsForTheExternalBrokersPubAck() throws Exception {
        Mqtt5AsyncClient device = tributary.mqtt5Async("device-1");
        assertTrue(succeeded(publish(device, "sites/s1/alarms/fire", "a-1").get(10, TimeUnit.SECONDS)));
        Await.until(Duration.ofSeconds(10), "a-1 on Mosquitto", () -> payloads("edge/s1/alarms").contains("a-1"));

        CompletableFuture<Mqtt5PublishResult> held;
        mosquitto.pause();
        try {
            held = publish(device, "sites/s1/alarms/smoke", "a-2");
            Await.holds(Duration.ofSeconds(2), "no PUBACK to the device while Mosquitto is stopped",
                    () -> !held.isDone());
            assertEquals(1.0, tributary.bridge().metrics().find(LinkMeters.IN_FLIGHT)
                    .tags("connection", "cloud", "direction", "out").gauge().value(), "publishes in flight");
        } finally {
            mosquitto.resume();
        }

        assertTrue(succeeded(held.get(20, TimeUnit.SECONDS)), "the device's PUBACK once Mosquitto acknowledged");
        Await.until(Duration.ofSeconds(10), "a-2 on Mosquitto", () -> payloads("edge/s1/alarms").contains("a-2"));
        assertEquals(List.of(2L, 0L), List.of(count(LinkMeters.PUBLISHED, "cloud"),
                count(LinkMeters.PUBLISH_FAILED, "cloud")));
        device.disconnect();
    }

    /** Past publish-timeout a publish fails like any delivery: retried, then dead-lettered. */
    @Test
    void aPublishNotAcknowledgedWithinPublishTimeoutIsRetriedThenDeadLettered() throws Exception {
        Mqtt5BlockingClient deadLetters = tributary.mqtt5("dead-letters");
        deadLetters.subscribeWith().topicFilter("dead/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5AsyncClient device = tributary.mqtt5Async("device-4");
        Mqtt5PublishResult result;
        Mqtt5Publish deadLetter;
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = deadLetters.publishes(MqttGlobalPublishFilter.ALL)) {
            mosquitto.pause();
            try {
                result = publish(device, "urgent/u1", "u-1").get(20, TimeUnit.SECONDS);
                deadLetter = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            } finally {
                mosquitto.resume();
            }
        }

        assertTrue(succeeded(result), "dead-lettered: the device is acknowledged");
        assertEquals(List.of("dead/urgent/u1", "u-1"), List.of(deadLetter.getTopic().toString(),
                new String(deadLetter.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        assertEquals(List.of(2L, 0L), List.of(count(LinkMeters.PUBLISH_FAILED, "impatient"),
                count(LinkMeters.PUBLISHED, "impatient")), "two attempts timed out, none acknowledged yet");
        device.disconnect();
        deadLetters.disconnect();
    }

    /**
     * The witness here speaks MQTT 3.1.1 with a persistent session: Mosquitto 2.0.11 restores such a session after a
     * kill -9, whereas the MQTT 5 witness's session (with a session expiry interval) was sometimes gone after the
     * restart, so that what the link published before the witness subscribed again reached no one.
     */
    @Test
    void nothingAcknowledgedToTheDeviceIsLostAcrossAMosquittoKillAndRestart() throws Exception {
        ConcurrentLinkedQueue<String> witnessed = new ConcurrentLinkedQueue<>();
        Mqtt3AsyncClient persistent = MqttClient.builder().useMqttVersion3().identifier("witness-311")
                .serverHost("127.0.0.1").serverPort(mosquitto.port())
                .automaticReconnect().initialDelay(100, TimeUnit.MILLISECONDS).maxDelay(1, TimeUnit.SECONDS)
                .applyAutomaticReconnect().buildAsync();
        persistent.connectWith().cleanSession(false).send().orTimeout(10, TimeUnit.SECONDS).join();
        persistent.subscribeWith().topicFilter("edge/s2/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> witnessed.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send()
                .orTimeout(10, TimeUnit.SECONDS).join();
        Mqtt5AsyncClient device = tributary.mqtt5Async("device-2");
        List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
        IntStream.range(0, 10).forEach(i -> acks.add(publish(device, "sites/s2/alarms/x", "k-" + i)));
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        Await.until(Duration.ofSeconds(10), "the first 10 on Mosquitto",
                () -> witnessed.containsAll(numbers(0, 10)));

        mosquitto.kill();
        IntStream.range(10, 20).forEach(i -> acks.add(publish(device, "sites/s2/alarms/x", "k-" + i)));
        Await.holds(Duration.ofSeconds(1), "no PUBACK to the device while Mosquitto is dead",
                () -> acks.subList(10, 20).stream().noneMatch(CompletableFuture::isDone));
        mosquitto.restart();

        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(40, TimeUnit.SECONDS);
        Set<String> acknowledged = new TreeSet<>();
        for (int i = 0; i < acks.size(); i++) {
            if (succeeded(acks.get(i).get())) {
                acknowledged.add("k-" + i);
            }
        }
        assertEquals(numbers(0, 20), acknowledged, "every publish acknowledged to the device once Mosquitto was back");
        try {
            Await.until(Duration.ofSeconds(30), "every acknowledged message with the witness on Mosquitto",
                    () -> witnessed.containsAll(acknowledged));
        } catch (AssertionError e) {
            LOG.error("witness has {}; Mosquitto's log:\n{}", new TreeSet<>(witnessed), mosquitto.log());
            throw e;
        }
        LOG.info("kill -9 of Mosquitto: {} acknowledged to the device, {} copies with the witness, 0 lost",
                acknowledged.size(), witnessed.size());
        device.disconnect();
        persistent.disconnect();
    }

    @Test
    void mqtt5PropertiesPassFromTheExternalBrokerThroughARouteBackToIt() {
        Mqtt5BlockingClient publisher = MqttClient.builder().useMqttVersion5().identifier("publisher")
                .serverHost("127.0.0.1").serverPort(mosquitto.port()).buildBlocking();
        publisher.connect();
        publisher.publishWith().topic("in/p1").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"t\":21}".getBytes(StandardCharsets.UTF_8))
                .contentType("application/json")
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                .responseTopic("replies/p1")
                .correlationData(new byte[] {7, 8, 9})
                .messageExpiryInterval(3600)
                .userProperties(Mqtt5UserProperties.builder().add("a", "1").add("b", "2").build())
                .send();
        publisher.disconnect();

        Await.until(Duration.ofSeconds(10), "the copy on out/p1", () -> !published("out/p1").isEmpty());
        Mqtt5Publish copy = published("out/p1").get(0);
        assertEquals(List.of("{\"t\":21}", "application/json", Mqtt5PayloadFormatIndicator.UTF_8, "replies/p1"),
                List.of(new String(copy.getPayloadAsBytes(), StandardCharsets.UTF_8),
                        copy.getContentType().orElseThrow().toString(), copy.getPayloadFormatIndicator().orElseThrow(),
                        copy.getResponseTopic().orElseThrow().toString()));
        assertArrayEquals(new byte[] {7, 8, 9}, bytes(copy.getCorrelationData().orElseThrow()));
        long expiry = copy.getMessageExpiryInterval().orElseThrow();
        assertTrue(expiry > 3500 && expiry <= 3600, "expiry left: " + expiry);
        assertEquals(List.of("a=1", "b=2", "tributary-hops=1"), copy.getUserProperties().asList().stream()
                .map(p -> p.getName() + "=" + p.getValue()).toList());
    }

    /**
     * loop-out sends loop/x from the built-in broker to Mosquitto, loop-back brings it from Mosquitto (through a second
     * connection, so No Local does not stop it) into the built-in broker again: each round is one hop more, and the
     * link drops the message at max-hops (3).
     */
    @Test
    void routesThatSendAMessageInACircleStopAtMaxHops() throws Exception {
        Mqtt5AsyncClient device = tributary.mqtt5Async("device-3");
        assertTrue(succeeded(publish(device, "loop/x", "l-1").get(10, TimeUnit.SECONDS)));

        Await.until(Duration.ofSeconds(10), "the loop dropped", () -> count(LinkMeters.LOOPED, "loop-in") == 1);
        // Mosquitto sends the third copy to the witness and to the link at once: either may have it first.
        Await.until(Duration.ofSeconds(10), "three copies seen", () -> published("loop/x").size() >= 3);
        Await.holds(Duration.ofSeconds(1), "no copy after the drop", () -> published("loop/x").size() == 3);
        assertEquals(List.of("1", "2", "3"), published("loop/x").stream().map(p -> p.getUserProperties().asList()
                .stream().filter(u -> u.getName().toString().equals("tributary-hops")).findFirst().orElseThrow()
                .getValue().toString()).toList());
        device.disconnect();
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient device, String topic, String text) {
        return device.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(text.getBytes(StandardCharsets.UTF_8)).send();
    }

    /** A PUBACK without an error reason code. */
    private static boolean succeeded(Mqtt5PublishResult result) {
        return result.getError().isEmpty();
    }

    private List<Mqtt5Publish> published(String topic) {
        return seen.stream().filter(p -> p.getTopic().toString().equals(topic)).toList();
    }

    private Set<String> payloads(String topic) {
        return published(topic).stream().map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> numbers(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "k-" + i).collect(Collectors.toCollection(TreeSet::new));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private String linkState(String connection) {
        Map<String, String> checks = tributary.bridge().readiness().check().checks();
        return checks.getOrDefault("mqtt:" + connection, "absent");
    }

    private long count(String name, String connection) {
        FunctionCounter counter = tributary.bridge().metrics().find(name).tag("connection", connection)
                .functionCounter();
        return (long) counter.count();
    }
}
