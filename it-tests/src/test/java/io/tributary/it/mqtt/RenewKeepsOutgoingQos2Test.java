package io.tributary.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tributary.it.support.Teardown;
import io.tributary.it.support.TestTributary;
import io.tributary.it.support.TributaryChild;
import io.tributary.routes.metrics.LinkMeters;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.http.WebhookServer;
import io.tributary.testsupport.mosquitto.MosquittoBroker;
import io.tributary.testsupport.mosquitto.MosquittoTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One link both reads from a peer broker and writes to it at QoS 2, and a route reading fails messages now and then,
 * so the link renews its client (a new client resuming the session) while QoS 2 publishes are in flight. The new
 * client numbers its packets afresh; had the old one left a QoS 2 exchange unfinished, the peer would take a later,
 * different publish with that packet identifier for a repeat and answer PUBREC without delivering it. Every message
 * published to the built-in broker must reach a witness on the peer (duplicates allowed).
 *
 * <p>The peer is another Tributary, which, like HiveMQ and EMQX, delivers a QoS 2 message on its PUBLISH and keeps
 * the packet identifier until PUBREL: before the renew let the old client finish, 20 to 29 of the 600 were lost.
 * Mosquitto delivers on PUBREL and, when a packet identifier it holds comes with different content, drops the old
 * message and takes the new one ("Reused message ID"), so the link's retry of the old one hid the loss there; the
 * Mosquitto case guards the renew itself.
 */
class RenewKeepsOutgoingQos2Test {

    private static final int COUNT = 600;
    /** Device publishes outstanding at once: a steady stream rather than one burst. */
    private static final int OUTSTANDING = 40;
    /** How many messages from the peer the webhook fails, each once: as many renews. */
    private static final int FAILURES = 5;

    @TempDir
    Path data;
    private AutoCloseable peer;
    private WebhookServer webhook;
    private TestTributary tributary;
    private Mqtt5AsyncClient witness;
    private final Set<String> witnessed = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() throws Exception {
        Teardown.closeInOrder(tributary, witness == null ? null : () -> witness.disconnect()
                .orTimeout(5, TimeUnit.SECONDS).exceptionally(gone -> null).join(), webhook, peer);
    }

    @Test
    void anotherTributary() throws Exception {
        TributaryChild tributaryPeer = TributaryChild.start("peer-tributary", data.resolve("peer/data"), "",
                data.resolve("peer"));
        peer = tributaryPeer;
        everyQos2PublishReachesThePeerThroughRenews(tributaryPeer.mqttPort());
    }

    /** Could not lose a message this way (see the class comment); the renew must not lose one either. */
    @Test
    void mosquitto() throws Exception {
        assumeTrue(MosquittoTools.installed("mosquitto"), "mosquitto is not installed");
        MosquittoBroker mosquitto = MosquittoBroker.builder(data).allowAnonymous().start();
        peer = mosquitto;
        everyQos2PublishReachesThePeerThroughRenews(mosquitto.port());
    }

    private void everyQos2PublishReachesThePeerThroughRenews(int port) throws Exception {
        witness = MqttClient.builder().useMqttVersion5().identifier("peer-witness").serverHost("127.0.0.1")
                .serverPort(port).buildAsync();
        witness.connect().orTimeout(10, TimeUnit.SECONDS).join();
        witness.subscribeWith().topicFilter("out/#").qos(MqttQos.EXACTLY_ONCE)
                .callback(p -> witnessed.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send()
                .orTimeout(10, TimeUnit.SECONDS).join();
        webhook = WebhookServer.start();
        Set<String> failed = ConcurrentHashMap.newKeySet();
        webhook.script("/", (request, index) -> WebhookServer.Answer.status(
                failed.add(request.bodyText()) ? 503 : 200));
        tributary = TestTributary.start(data.resolve("tributary"), """
                connections:
                  mqtt:
                    peer: { url: "tcp://127.0.0.1:%d", client-id: edge-renew, session-expiry: 1h }
                routes:
                  - name: peer-to-webhook
                    from: { mqtt: { connection: peer, topic: "in/{id}", qos: 1 } }
                    to: { http: { url: "http://127.0.0.1:%d/in/{id}" } }
                    retry: { max-attempts: 1 }
                  - name: data-to-peer
                    from: { mqtt: "data/{id}" }
                    to: { mqtt: { connection: peer, topic: "out/{id}", qos: 2 } }
                    retry: { max-attempts: 1000, initial-backoff: 50ms, max-backoff: 200ms }
                """.formatted(port, webhook.port()));
        Await.until(Duration.ofSeconds(20), "the link up", () -> "up".equals(linkState()));

        Mqtt5BlockingClient plant = MqttClient.builder().useMqttVersion5().identifier("plant")
                .serverHost("127.0.0.1").serverPort(port).buildBlocking();
        plant.connect();
        Mqtt5AsyncClient device = tributary.mqtt5Async("device");
        List<CompletableFuture<Mqtt5PublishResult>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < COUNT; i++) {
                if (i >= OUTSTANDING) {
                    sent.get(i - OUTSTANDING).get(60, TimeUnit.SECONDS);
                }
                if (i % (COUNT / FAILURES) == COUNT / FAILURES / 2) {
                    // Fails once at the webhook: the link renews while the stream goes on.
                    plant.publishWith().topic("in/" + i).qos(MqttQos.AT_LEAST_ONCE)
                            .payload(("fail-" + i).getBytes(StandardCharsets.UTF_8)).send();
                }
                sent.add(device.publishWith().topic("data/" + i).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("m-" + i).getBytes(StandardCharsets.UTF_8)).send());
            }
            for (CompletableFuture<Mqtt5PublishResult> publish : sent) {
                assertTrue(publish.get(60, TimeUnit.SECONDS).getError().isEmpty(), "the device's PUBACK");
            }
            Await.until(Duration.ofSeconds(10), "every message the peer acknowledged on the witness", () -> {
                Set<String> missing = expected();
                missing.removeAll(witnessed);
                return missing;
            }, Set::isEmpty);
            assertTrue(recycles() >= 2, "the failures made the link renew: " + recycles());
        } finally {
            plant.disconnect();
            device.disconnect();
        }
    }

    private static Set<String> expected() {
        return IntStream.range(0, COUNT).mapToObj(i -> "m-" + i).collect(Collectors.toCollection(TreeSet::new));
    }

    private long recycles() {
        return (long) tributary.bridge().metrics().find(LinkMeters.RECYCLES).tag("connection", "peer")
                .functionCounter().count();
    }

    private String linkState() {
        return tributary.linkState("peer");
    }
}
