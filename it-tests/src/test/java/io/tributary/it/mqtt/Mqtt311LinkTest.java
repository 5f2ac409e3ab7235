package io.tributary.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tributary.it.support.Teardown;
import io.tributary.it.support.TestTributary;
import io.tributary.routes.metrics.LinkMeters;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.http.WebhookServer;
import io.tributary.testsupport.mosquitto.MosquittoBroker;
import io.tributary.testsupport.mosquitto.MosquittoTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Links that speak MQTT 3.1.1 to a real Mosquitto keep the acknowledgement rules of MQTT 5 ones: a message a route
 * failed stays unacknowledged and comes again (through a {@code $share} subscription, which Mosquitto takes on
 * 3.1.1); what is published while Tributary is stopped waits in the persistent session (clean session off); and a
 * device's PUBACK on the built-in broker waits for Mosquitto's PUBACK to the 3.1.1 link.
 */
class Mqtt311LinkTest {

    @TempDir
    Path data;
    private MosquittoBroker mosquitto;
    private WebhookServer webhook;
    private TestTributary tributary;
    private Mqtt3AsyncClient witness;
    private final ConcurrentLinkedQueue<String> witnessed = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() {
        assumeTrue(MosquittoTools.installed("mosquitto"), "mosquitto is not installed");
        mosquitto = MosquittoBroker.builder(data).allowAnonymous().start();
        webhook = WebhookServer.start();
        witness = MqttClient.builder().useMqttVersion3().identifier("witness").serverHost("127.0.0.1")
                .serverPort(mosquitto.port()).buildAsync();
        witness.connectWith().cleanSession(true).send().orTimeout(10, TimeUnit.SECONDS).join();
        witness.subscribeWith().topicFilter("edge/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> witnessed.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send()
                .orTimeout(10, TimeUnit.SECONDS).join();
        tributary = TestTributary.start(data.resolve("tributary"), """
                connections:
                  mqtt:
                    plant: { url: "tcp://127.0.0.1:%d", version: 3.1.1, client-id: tributary-311-it }
                routes:
                  - name: alarms-to-webhook
                    from: { mqtt: { connection: plant, topic: "alarms/{device}", shared-group: tributary } }
                    to: { http: { url: "http://127.0.0.1:%d/alarms/{device}" } }
                    retry: { max-attempts: 1 }
                  - name: edge-to-plant
                    from: { mqtt: "sites/{site}/alarms" }
                    to: { mqtt: { connection: plant, topic: "edge/{site}", qos: 1 } }
                """.formatted(mosquitto.port(), webhook.port()));
        awaitUp();
    }

    @AfterEach
    void stop() throws Exception {
        Teardown.closeInOrder(tributary, witness == null ? null : () -> witness.disconnect()
                .orTimeout(5, TimeUnit.SECONDS).exceptionally(gone -> null).join(), webhook, mosquitto);
    }

    @Test
    void aMessageTheRouteFailedComesAgainUntilItIsDelivered() {
        webhook.script("/alarms", (request, index) -> WebhookServer.Answer.status(index < 2 ? 503 : 200));

        publishOnMosquitto(List.of("fire"));

        Await.until(Duration.ofSeconds(30), "acknowledged to Mosquitto once the webhook took it",
                () -> acknowledged() == 1);
        assertEquals(List.of(503, 503, 200),
                webhook.answered("/alarms").stream().map(WebhookServer.Answered::status).toList());
        assertEquals(List.of("fire", "fire", "fire"),
                webhook.requests("/alarms").stream().map(WebhookServer.Request::bodyText).toList());
    }

    @Test
    void whatIsPublishedWhileTributaryIsStoppedWaitsInTheSession() {
        webhook.script("/alarms", (request, index) -> WebhookServer.Answer.status(200));
        tributary.stopBridge();
        publishOnMosquitto(List.of("m-1", "m-2", "m-3"));
        tributary.startBridge();
        awaitUp();

        Await.until(Duration.ofSeconds(30), "the 3 queued messages delivered and acknowledged",
                () -> acknowledged() == 3);
        // The webhook takes several requests at once, so they may arrive in another order.
        assertEquals(List.of("m-1", "m-2", "m-3"),
                webhook.requests("/alarms").stream().map(WebhookServer.Request::bodyText).sorted().toList());
    }

    @Test
    void aDevicesPubAckWaitsForMosquittosPubAckToTheLink() throws Exception {
        Mqtt5AsyncClient device = tributary.mqtt5Async("device");
        CompletableFuture<Mqtt5PublishResult> held;
        mosquitto.pause();
        try {
            held = device.publishWith().topic("sites/s1/alarms").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("smoke".getBytes(StandardCharsets.UTF_8)).send();
            Await.holds(Duration.ofSeconds(2), "no PUBACK to the device while Mosquitto is stopped",
                    () -> !held.isDone());
        } finally {
            mosquitto.resume();
        }
        Mqtt5PublishResult result = held.get(20, TimeUnit.SECONDS);
        assertTrue(result.getError().isEmpty(), "the device's PUBACK once Mosquitto acknowledged: " + result);
        Await.until(Duration.ofSeconds(10), "smoke on Mosquitto", () -> witnessed.contains("smoke"));
        device.disconnect();
    }

    private void publishOnMosquitto(List<String> payloads) {
        Mqtt3BlockingClient device = MqttClient.builder().useMqttVersion3().identifier("device-311")
                .serverHost("127.0.0.1").serverPort(mosquitto.port()).buildBlocking();
        device.connect();
        for (String payload : payloads) {
            device.publishWith().topic("alarms/d1").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
        }
        device.disconnect();
    }

    private void awaitUp() {
        Await.until(Duration.ofSeconds(10), "the 3.1.1 link up",
                () -> "up".equals(tributary.linkState("plant")));
    }

    private long acknowledged() {
        return (long) tributary.bridge().metrics().find(LinkMeters.ACKNOWLEDGED).tag("connection", "plant")
                .functionCounter().count();
    }
}
