package io.tributary.it.mqtt;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.tributary.it.support.HiveMqCeChild;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route that fails a message past its retries makes its link recycle (disconnect keeping the session, reconnect),
 * so that the broker sends the message again. With Mosquitto and with HiveMQ CE (which sends a client's next message
 * only once the previous one is acknowledged), at QoS 1 and QoS 2, over MQTT 5 and 3.1.1 (a link each): every
 * message reaches the webhook,
 * the failed ones included (a QoS 2 message the broker sends again with DUP must reach the route again, not be
 * taken by the client as a resend of the one it saw, nor answered with a PUBREC for a message no route delivered),
 * and the link keeps flowing after the recycle.
 */
class RecycleRedeliversTest {

    private static final int COUNT = 6;
    /** Each of these fails once at the webhook; the route does not retry, so the link recycles. */
    private static final Set<String> FAIL_ONCE = Set.of("one-1", "two-1", "one-4", "two-4", "old-one-2", "old-two-2");
    /** The topic (and webhook path) of each source: QoS 1 and 2 over MQTT 5, then over MQTT 3.1.1. */
    private static final List<String> SOURCES = List.of("one", "two", "old-one", "old-two");

    @TempDir
    Path data;
    private AutoCloseable broker;
    private WebhookServer webhook;
    private TestTributary tributary;
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() throws Exception {
        Teardown.closeInOrder(tributary, webhook, broker);
    }

    @Test
    void mosquitto() {
        assumeTrue(MosquittoTools.installed("mosquitto"), "mosquitto is not installed");
        MosquittoBroker mosquitto = MosquittoBroker.builder(data).allowAnonymous().start();
        broker = mosquitto;
        everyMessageReachesTheSinkThroughRecycles(mosquitto.port());
    }

    @Test
    void hiveMqCe() {
        HiveMqCeChild hivemq = HiveMqCeChild.start(data.resolve("hivemq"));
        broker = hivemq;
        everyMessageReachesTheSinkThroughRecycles(hivemq.port());
    }

    /**
     * A QoS 2 message still with its route when the broker goes away is sent again by the broker on the next
     * connection; the client takes that as a repeat of the message it tracks. Its PUBREC must still wait for the
     * route: if the route then fails it, the broker must still have it, and send it again after the recycle.
     * Mosquitto is stopped (SIGTERM) rather than killed: after a kill -9 it was seen not to send again a QoS 2
     * message that was in flight, persistence or not.
     */
    @Test
    void aQos2MessageInItsRouteWhenTheBrokerRestartsIsNotAcknowledgedBeforeTheRouteHasIt() {
        assumeTrue(MosquittoTools.installed("mosquitto"), "mosquitto is not installed");
        MosquittoBroker mosquitto = MosquittoBroker.builder(data).allowAnonymous().persistence().start();
        broker = mosquitto;
        webhook = WebhookServer.start();
        AtomicBoolean reconnected = new AtomicBoolean();
        webhook.script("/two", (request, index) -> {
            if (index == 0) {
                // The route holds the message while Mosquitto is stopped and back, then fails it.
                Await.until(Duration.ofSeconds(20), "the link back after the restart", reconnected::get);
                return WebhookServer.Answer.status(503);
            }
            return WebhookServer.Answer.status(200);
        });
        tributary = TestTributary.start(data.resolve("tributary"), """
                connections:
                  mqtt:
                    plant: { url: "tcp://127.0.0.1:%d", client-id: tributary-redeliver-it, session-expiry: 1h }
                routes:
                  - name: qos2-to-webhook
                    from: { mqtt: { connection: plant, topic: "two/{id}", qos: 2 } }
                    to: { http: { url: "http://127.0.0.1:%d/two/{id}", timeout: 60s } }
                    retry: { max-attempts: 1 }
                """.formatted(mosquitto.port(), webhook.port()));
        Await.until(Duration.ofSeconds(20), "the link up", () -> "up".equals(linkState("plant")));
        Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("device")
                .serverHost("127.0.0.1").serverPort(mosquitto.port()).buildBlocking();
        device.connect();
        send(device, "two/d0", MqttQos.EXACTLY_ONCE, "held");
        device.disconnect();
        Await.until(Duration.ofSeconds(10), "the route holding the message", () -> !webhook.requests("/two")
                .isEmpty());

        mosquitto.close();
        Await.until(Duration.ofSeconds(10), "the link down", () -> !"up".equals(linkState("plant")));
        mosquitto.restart();
        Await.until(Duration.ofSeconds(20), "the link up again", () -> "up".equals(linkState("plant")));
        // Time for Mosquitto's resend of the message on the new connection, which nothing outside shows.
        Await.holds(Duration.ofSeconds(1), "the route still holding the message", () -> webhook.answered("/two")
                .isEmpty());
        reconnected.set(true);

        Await.until(Duration.ofSeconds(20), "the message the route failed sent again and delivered",
                () -> delivered(), taken -> taken.contains("held"));
    }

    private void everyMessageReachesTheSinkThroughRecycles(int port) {
        webhook = WebhookServer.start();
        WebhookServer.Script script = (request, index) -> WebhookServer.Answer.status(
                FAIL_ONCE.contains(request.bodyText()) && failed.add(request.bodyText()) ? 503 : 200);
        SOURCES.forEach(source -> webhook.script("/" + source, script));
        tributary = TestTributary.start(data.resolve("tributary"), """
                connections:
                  mqtt:
                    plant: { url: "tcp://127.0.0.1:%1$d", client-id: tributary-redeliver-it, session-expiry: 1h }
                    plant311: { url: "tcp://127.0.0.1:%1$d", version: 3.1.1, client-id: tributary-redeliver-311,
                                session-expiry: 1h }
                routes:
                  - name: qos1-to-webhook
                    from: { mqtt: { connection: plant, topic: "one/{id}", qos: 1 } }
                    to: { http: { url: "http://127.0.0.1:%2$d/one/{id}" } }
                    retry: { max-attempts: 1 }
                  - name: qos2-to-webhook
                    from: { mqtt: { connection: plant, topic: "two/{id}", qos: 2 } }
                    to: { http: { url: "http://127.0.0.1:%2$d/two/{id}" } }
                    retry: { max-attempts: 1 }
                  - name: old-qos1-to-webhook
                    from: { mqtt: { connection: plant311, topic: "old-one/{id}", qos: 1 } }
                    to: { http: { url: "http://127.0.0.1:%2$d/old-one/{id}" } }
                    retry: { max-attempts: 1 }
                  - name: old-qos2-to-webhook
                    from: { mqtt: { connection: plant311, topic: "old-two/{id}", qos: 2 } }
                    to: { http: { url: "http://127.0.0.1:%2$d/old-two/{id}" } }
                    retry: { max-attempts: 1 }
                """.formatted(port, webhook.port()));
        Await.until(Duration.ofSeconds(20), "both links up", () -> "up".equals(linkState("plant"))
                && "up".equals(linkState("plant311")));

        Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("device")
                .serverHost("127.0.0.1").serverPort(port).buildBlocking();
        device.connect();
        try {
            for (int i = 0; i < COUNT; i++) {
                publishAll(device, i);
            }
            Await.until(Duration.ofSeconds(25), "every message taken by the webhook, the failed ones included",
                    () -> delivered(), taken -> taken.containsAll(expected(0, COUNT)));
            Await.until(Duration.ofSeconds(5), "the failures made both links recycle",
                    () -> recycles("plant") >= 1 && recycles("plant311") >= 1);

            for (int i = COUNT; i < 2 * COUNT; i++) {
                publishAll(device, i);
            }
            Await.until(Duration.ofSeconds(15), "the messages published after the recycles taken too",
                    () -> delivered(), taken -> taken.containsAll(expected(0, 2 * COUNT)));
        } finally {
            device.disconnect();
        }
    }

    private static void publishAll(Mqtt5BlockingClient device, int i) {
        for (String source : SOURCES) {
            send(device, source + "/d" + i, source.endsWith("two") ? MqttQos.EXACTLY_ONCE : MqttQos.AT_LEAST_ONCE,
                    source + "-" + i);
        }
    }

    private static void send(Mqtt5BlockingClient client, String topic, MqttQos qos, String payload) {
        client.publishWith().topic(topic).qos(qos).payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    private Set<String> delivered() {
        return SOURCES.stream().flatMap(source -> webhook.answered("/" + source).stream())
                .filter(a -> a.status() == 200).map(a -> a.request().bodyText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> expected(int from, int to) {
        return IntStream.range(from, to).boxed().flatMap(i -> SOURCES.stream().map(source -> source + "-" + i))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private long recycles(String connection) {
        return (long) tributary.bridge().metrics().find(LinkMeters.RECYCLES).tag("connection", connection)
                .functionCounter().count();
    }

    private String linkState(String connection) {
        return tributary.linkState(connection);
    }
}
