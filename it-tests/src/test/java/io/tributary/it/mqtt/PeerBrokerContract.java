package io.tributary.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.micrometer.core.instrument.FunctionCounter;
import io.tributary.it.support.Teardown;
import io.tributary.it.support.TestTributary;
import io.tributary.routes.metrics.LinkMeters;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.http.WebhookServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a route promises with another broker than Mosquitto on the other end of its link, over MQTT 5 and 3.1.1 (two
 * connections to the one peer): from the peer, a message is acknowledged to it only once the route's sink (a
 * webhook) took it, and none is lost while the sink refuses them; to the peer, a device's PUBACK on the built-in
 * broker waits for the peer's PUBACK. The peer is a process of its own, so that the test can stop it
 * ({@code kill -STOP}).
 *
 * <p>The routes retry until the webhook takes the message, so the link holds the messages rather than recycling; the
 * recycle after a route failed a message, with HiveMQ CE too and at QoS 2, is {@link RecycleRedeliversTest}'s.
 */
abstract class PeerBrokerContract {

    private static final int COUNT = 10;

    @TempDir
    Path data;
    private WebhookServer webhook;
    private TestTributary tributary;
    private Mqtt5AsyncClient witness;
    private final ConcurrentLinkedQueue<String> witnessed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sinkUp = new AtomicBoolean(true);

    /** Starts the peer broker with its files in {@code folder}; returns the port it listens on at 127.0.0.1. */
    abstract int startPeer(Path folder);

    /** Stops the peer's process ({@code kill -STOP}): its connections stay open and it answers nothing. */
    abstract void pausePeer();

    abstract void resumePeer();

    abstract void closePeer();

    @BeforeEach
    void start() {
        int port = startPeer(data.resolve("peer"));
        webhook = WebhookServer.start();
        webhook.script("/", (request, index) -> WebhookServer.Answer.status(sinkUp.get() ? 200 : 503));
        witness = MqttClient.builder().useMqttVersion5().identifier("peer-witness").serverHost("127.0.0.1")
                .serverPort(port).buildAsync();
        witness.connect().orTimeout(10, TimeUnit.SECONDS).join();
        witness.subscribeWith().topicFilter("edge/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> witnessed.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send()
                .orTimeout(10, TimeUnit.SECONDS).join();
        tributary = TestTributary.start(data.resolve("tributary"), """
                connections:
                  mqtt:
                    peer5: { url: "tcp://127.0.0.1:%1$d", client-id: edge-5, session-expiry: 1h }
                    peer311: { url: "tcp://127.0.0.1:%1$d", version: 3.1.1, client-id: edge-311, session-expiry: 1h }
                routes:
                  - name: plant5-to-webhook
                    from: { mqtt: { connection: peer5, topic: "plant5/{id}", qos: 1 } }
                    to: { http: { url: "http://127.0.0.1:%2$d/plant5/{id}" } }
                    retry: { max-attempts: 1000, initial-backoff: 100ms, max-backoff: 300ms }
                  - name: plant311-to-webhook
                    from: { mqtt: { connection: peer311, topic: "plant311/{id}", qos: 1 } }
                    to: { http: { url: "http://127.0.0.1:%2$d/plant311/{id}" } }
                    retry: { max-attempts: 1000, initial-backoff: 100ms, max-backoff: 300ms }
                  - name: alarms-to-peer5
                    from: { mqtt: "sites/{site}/alarms" }
                    to: { mqtt: { connection: peer5, topic: "edge/5/{site}", qos: 1 } }
                  - name: alarms-to-peer311
                    from: { mqtt: "sites311/{site}/alarms" }
                    to: { mqtt: { connection: peer311, topic: "edge/311/{site}", qos: 1 } }
                """.formatted(port, webhook.port()));
        Await.until(Duration.ofSeconds(20), "both links up",
                () -> linkState("peer5").equals("up") && linkState("peer311").equals("up"));
    }

    @AfterEach
    void stop() throws Exception {
        Teardown.closeInOrder(tributary, witness == null ? null : () -> witness.disconnect()
                .orTimeout(5, TimeUnit.SECONDS).exceptionally(gone -> null).join(), webhook, this::closePeer);
    }

    @Test
    void messagesFromThePeerAreAcknowledgedOnlyOnceTheWebhookTookThemAndNoneIsLost() {
        sinkUp.set(false);
        Mqtt5BlockingClient plant = MqttClient.builder().useMqttVersion5().identifier("plant")
                .serverHost("127.0.0.1").serverPort(peerPort()).buildBlocking();
        plant.connect();
        try {
            for (int i = 0; i < COUNT; i++) {
                send(plant, "plant5/d" + i, MqttQos.AT_LEAST_ONCE, "five-" + i);
                send(plant, "plant311/d" + i, MqttQos.AT_LEAST_ONCE, "three-" + i);
            }
        } finally {
            plant.disconnect();
        }

        Await.until(Duration.ofSeconds(20), "both routes trying the webhook", () -> !webhook.requests("/plant5")
                .isEmpty() && !webhook.requests("/plant311").isEmpty());
        Await.holds(Duration.ofSeconds(2), "nothing acknowledged to the peer while the webhook refuses",
                () -> acknowledged("peer5") == 0 && acknowledged("peer311") == 0);

        sinkUp.set(true);
        Await.until(Duration.ofSeconds(60), "every message taken by the webhook",
                () -> List.of(delivered("/plant5"), delivered("/plant311")),
                taken -> taken.get(0).containsAll(numbered("five-")) && taken.get(1).containsAll(numbered("three-")));
        Await.until(Duration.ofSeconds(20), "each acknowledged to the peer once delivered",
                () -> acknowledged("peer5") >= COUNT && acknowledged("peer311") >= COUNT);
    }

    @Test
    void aDevicesPubAckWaitsForThePeersPubAck() throws Exception {
        Mqtt5AsyncClient device = tributary.mqtt5Async("device");
        assertTrue(publish(device, "sites/s1/alarms", "a-1").get(10, TimeUnit.SECONDS).getError().isEmpty());
        assertTrue(publish(device, "sites311/s1/alarms", "b-1").get(10, TimeUnit.SECONDS).getError().isEmpty());
        Await.until(Duration.ofSeconds(10), "a-1 and b-1 on the peer", () -> witnessed.containsAll(List.of("a-1",
                "b-1")));

        CompletableFuture<Mqtt5PublishResult> five;
        CompletableFuture<Mqtt5PublishResult> three;
        pausePeer();
        try {
            five = publish(device, "sites/s1/alarms", "a-2");
            three = publish(device, "sites311/s1/alarms", "b-2");
            try {
                Await.holds(Duration.ofSeconds(2), "no PUBACK to the device while the peer is stopped",
                        () -> !five.isDone() && !three.isDone());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; over MQTT 5: " + outcome(five) + ", over 3.1.1: "
                        + outcome(three) + "; link states " + tributary.bridge().readiness().check().checks(), e);
            }
        } finally {
            resumePeer();
        }

        assertTrue(five.get(20, TimeUnit.SECONDS).getError().isEmpty(), "the device's PUBACK after the peer's (5)");
        assertTrue(three.get(20, TimeUnit.SECONDS).getError().isEmpty(), "the device's PUBACK after the peer's (3.1.1)");
        Await.until(Duration.ofSeconds(10), "a-2 and b-2 on the peer", () -> witnessed.containsAll(List.of("a-2",
                "b-2")));
        device.disconnect();
    }

    /** What a device's publish came to so far, for a failure message. */
    private static String outcome(CompletableFuture<Mqtt5PublishResult> publish) {
        if (!publish.isDone()) {
            return "waiting";
        }
        try {
            return publish.join().getError().map(error -> "failed: " + error).orElse("acknowledged");
        } catch (RuntimeException e) {
            return "failed: " + e;
        }
    }

    private int peerPort;

    private int peerPort() {
        return peerPort;
    }

    /** Remembers the port; subclasses call it from {@link #startPeer}. */
    int listening(int port) {
        this.peerPort = port;
        return port;
    }

    private static void send(Mqtt5BlockingClient client, String topic, MqttQos qos, String payload) {
        client.publishWith().topic(topic).qos(qos).payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient device, String topic,
                                                                 String payload) {
        return device.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    private Set<String> delivered(String path) {
        return webhook.answered(path).stream().filter(a -> a.status() == 200).map(a -> a.request().bodyText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> numbered(String prefix) {
        return IntStream.range(0, COUNT).mapToObj(i -> prefix + i).collect(Collectors.toCollection(TreeSet::new));
    }

    private String linkState(String connection) {
        return tributary.linkState(connection);
    }

    private long acknowledged(String connection) {
        FunctionCounter counter = tributary.bridge().metrics().find(LinkMeters.ACKNOWLEDGED)
                .tag("connection", connection).functionCounter();
        return (long) counter.count();
    }
}
