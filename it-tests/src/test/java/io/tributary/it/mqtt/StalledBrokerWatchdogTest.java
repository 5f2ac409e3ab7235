package io.tributary.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tributary.it.support.Teardown;
import io.tributary.it.support.TestTributary;
import io.tributary.routes.metrics.LinkMeters;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.mosquitto.MosquittoBroker;
import io.tributary.testsupport.mosquitto.MosquittoTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link's watchdog against a real Mosquitto that hangs ({@code kill -STOP}): its connection stays open, so the
 * client believes it is connected (for up to one and a half keep-alives, 45 s here) while no publish is acknowledged,
 * the symptom of hivemq-mqtt-client #350. The watchdog recycles the link once a publish has waited past
 * {@code publish-timeout}: readiness shows it down at once, and once Mosquitto goes on the link is back and the
 * message arrives.
 */
class StalledBrokerWatchdogTest {

    @TempDir
    Path data;
    private MosquittoBroker mosquitto;
    private TestTributary tributary;
    private Mqtt3AsyncClient witness;
    private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() {
        assumeTrue(MosquittoTools.installed("mosquitto"), "mosquitto is not installed");
        mosquitto = MosquittoBroker.builder(data).allowAnonymous().start();
        witness = MqttClient.builder().useMqttVersion3().identifier("witness").serverHost("127.0.0.1")
                .serverPort(mosquitto.port()).automaticReconnect().initialDelay(100, TimeUnit.MILLISECONDS)
                .maxDelay(1, TimeUnit.SECONDS).applyAutomaticReconnect().buildAsync();
        witness.connectWith().cleanSession(false).send().orTimeout(10, TimeUnit.SECONDS).join();
        witness.subscribeWith().topicFilter("edge/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> seen.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send()
                .orTimeout(10, TimeUnit.SECONDS).join();
        tributary = TestTributary.start(data.resolve("tributary"), """
                connections:
                  mqtt:
                    cloud: { url: "tcp://127.0.0.1:%d", client-id: tributary-watchdog-it, session-expiry: 1h,
                             publish-timeout: 2s }
                routes:
                  - name: alarms-to-cloud
                    from: { mqtt: "alarms/{x}" }
                    to: { mqtt: { connection: cloud, topic: "edge/{x}", qos: 1 } }
                    retry: { max-attempts: 20, initial-backoff: 100ms, max-backoff: 1s }
                """.formatted(mosquitto.port()));
        Await.until(Duration.ofSeconds(10), "the link up", () -> "up".equals(linkState()));
    }

    @AfterEach
    void stop() throws Exception {
        Teardown.closeInOrder(tributary, witness == null ? null : () -> witness.disconnect()
                .orTimeout(5, TimeUnit.SECONDS).exceptionally(gone -> null).join(), mosquitto);
    }

    @Test
    void aLinkWhosePublishesGoUnacknowledgedWhileConnectedIsRecycled() throws Exception {
        Mqtt5AsyncClient device = tributary.mqtt5Async("device");
        assertTrue(publish(device, "a-1").get(10, TimeUnit.SECONDS).getError().isEmpty());
        Await.until(Duration.ofSeconds(10), "a-1 on Mosquitto", () -> seen.contains("a-1"));

        CompletableFuture<Mqtt5PublishResult> held;
        mosquitto.pause();
        try {
            held = publish(device, "a-2");
            // publish-timeout (2 s) and a look of the watchdog (each second), with room for a loaded machine.
            Await.until(Duration.ofSeconds(20), "readiness shows the link recycled by the watchdog",
                    () -> linkState().contains("recycled: watchdog: a publish has had no acknowledgement"));
            assertTrue(count(LinkMeters.RECYCLES) >= 1, "recycles counted");
        } finally {
            mosquitto.resume();
        }

        Await.until(Duration.ofSeconds(30), "the link up again", () -> "up".equals(linkState()));
        assertTrue(held.get(30, TimeUnit.SECONDS).getError().isEmpty(), "the device's PUBACK once Mosquitto had it");
        Await.until(Duration.ofSeconds(10), "a-2 on Mosquitto", () -> seen.contains("a-2"));
        device.disconnect();
    }

    private CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient device, String payload) {
        return device.publishWith().topic("alarms/x").qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    private String linkState() {
        return tributary.linkState("cloud");
    }

    private long count(String name) {
        return (long) tributary.bridge().metrics().find(name).tag("connection", "cloud").functionCounter().count();
    }
}
