package io.tributary.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of a graceful stop, {@code stopExternalSources}, stops a route reading from a real Mosquitto
 * before the built-in broker stops: it waits for the message in flight, which is acknowledged to Mosquitto once the
 * sink has it, while the route from the built-in broker still runs; what Mosquitto sends afterwards stays in the
 * link's session and comes to the next Tributary with the same client id. Nothing is lost.
 */
class ExternalSourceShutdownTest {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalSourceShutdownTest.class);

    @TempDir
    Path data;
    private MosquittoBroker mosquitto;
    private WebhookServer webhook;
    private TestTributary tributary;
    private String yaml;

    @BeforeEach
    void start() {
        assumeTrue(MosquittoTools.installed("mosquitto"), "mosquitto is not installed");
        mosquitto = MosquittoBroker.builder(data).allowAnonymous().start();
        webhook = WebhookServer.start();
        yaml = """
                connections:
                  mqtt:
                    plant: { url: "tcp://127.0.0.1:%d", client-id: tributary-shutdown-it, session-expiry: 1h }
                routes:
                  - name: plant-to-webhook
                    from: { mqtt: { connection: plant, topic: "in/{device}", qos: 1 } }
                    to: { http: { url: "http://127.0.0.1:%d/in/{device}" } }
                  - name: local-to-webhook
                    from: { mqtt: "local/{device}" }
                    to: { http: { url: "http://127.0.0.1:%d/local/{device}" } }
                """.formatted(mosquitto.port(), webhook.port(), webhook.port());
        tributary = TestTributary.start(data.resolve("tributary-1"), yaml);
        awaitLinkUp();
    }

    @AfterEach
    void stop() throws Exception {
        Teardown.closeInOrder(tributary, webhook, mosquitto);
    }

    @Test
    void aMessageInFlightAtTheStopIsAcknowledgedAndWhatCameAfterWaitsForTheNextSession() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean held = new AtomicBoolean();
        webhook.script("/in", (request, index) -> {
            // The first request for m-0 waits (under the route's 10 s answer timeout).
            if (request.bodyText().equals("m-0") && held.compareAndSet(false, true)
                    && !release.await(9, TimeUnit.SECONDS)) {
                return WebhookServer.Answer.status(503);
            }
            return WebhookServer.Answer.status(200);
        });
        publish(0, 5);
        Await.until(Duration.ofSeconds(30), "the first message in flight at the webhook",
                () -> webhook.requests("/in").stream().anyMatch(r -> r.bodyText().equals("m-0")));

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> tributary.bridge().stopExternalSources());
        Await.holds(Duration.ofSeconds(1), "the stop waits for the message in flight", () -> !stopping.isDone());
        // The webhook takes the others meanwhile (the route does not wait for one to send the next).
        Await.until(Duration.ofSeconds(10), "what the webhook took acknowledged, not more",
                () -> acknowledged() == deliveredBodies().size());
        assertFalse(deliveredBodies().contains("m-0"));
        release.countDown();
        stopping.get(40, TimeUnit.SECONDS);

        List<String> delivered = deliveredBodies();
        assertTrue(delivered.contains("m-0"), "the message in flight finished: " + delivered);
        assertEquals(delivered.size(), acknowledged(), "each delivered message, and only those, acknowledged");
        assertEquals(ServiceStatus.Stopped, status("plant-to-webhook"));
        assertEquals(ServiceStatus.Started, status("local-to-webhook"), "the route from the built-in broker runs on");

        // The link still holds its session but takes nothing: these stay with Mosquitto.
        publish(5, 8);
        long acknowledgedAtStop = acknowledged();
        tributary.stopGracefully();
        assertEquals(delivered.size(), acknowledgedAtStop, "nothing acknowledged after the route stopped");
        tributary = null;

        tributary = TestTributary.start(data.resolve("tributary-2"), yaml);
        Await.until(Duration.ofSeconds(30), "every message at the webhook",
                () -> new TreeSet<>(deliveredBodies()).equals(numbers(0, 8)));
        List<String> all = deliveredBodies();
        LOG.info("Delivered {} times for 8 messages; first Tributary acknowledged {}", all.size(),
                acknowledgedAtStop);
        assertFalse(all.size() > 8 + 8, "duplicates bounded: " + all);
    }

    private void awaitLinkUp() {
        Await.until(Duration.ofSeconds(10), "the link up",
                () -> "up".equals(tributary.linkState("plant")));
    }

    private ServiceStatus status(String route) {
        return tributary.bridge().camelContext().getRouteController().getRouteStatus(route);
    }

    private List<String> deliveredBodies() {
        return webhook.answered("/in").stream().filter(a -> a.status() == 200)
                .map(a -> a.request().bodyText()).toList();
    }

    private void publish(int from, int to) {
        Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("device-" + from)
                .serverHost("127.0.0.1").serverPort(mosquitto.port()).buildBlocking();
        device.connect();
        try {
            for (int i = from; i < to; i++) {
                device.publishWith().topic("in/d" + i).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("m-" + i).getBytes(StandardCharsets.UTF_8)).send();
            }
        } finally {
            device.disconnect();
        }
    }

    private static Set<String> numbers(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "m-" + i).collect(Collectors.toCollection(TreeSet::new));
    }

    private long acknowledged() {
        return (long) tributary.bridge().metrics().find(LinkMeters.ACKNOWLEDGED).tag("connection", "plant")
                .functionCounter().count();
    }
}
