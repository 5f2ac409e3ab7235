package io.tributary.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message of an external broker that its route fails is not acknowledged: the link reconnects, keeping its
 * session, and Mosquitto sends the message again until the route delivers it. The route reads through a shared
 * subscription ({@code $share/tributary/alarms/+}), whose unacknowledged messages stay in the session too.
 */
class ExternalBrokerRecycleTest {

    @TempDir
    Path data;
    private MosquittoBroker mosquitto;
    private WebhookServer webhook;
    private TestTributary tributary;

    @BeforeEach
    void start() {
        assumeTrue(MosquittoTools.installed("mosquitto"), "mosquitto is not installed");
        mosquitto = MosquittoBroker.builder(data).allowAnonymous().start();
        webhook = WebhookServer.start();
        tributary = TestTributary.start(data.resolve("tributary"), """
                connections:
                  mqtt:
                    plant: { url: "tcp://127.0.0.1:%d", client-id: tributary-recycle-it }
                routes:
                  - name: alarms-to-webhook
                    from: { mqtt: { connection: plant, topic: "alarms/{device}", shared-group: tributary } }
                    to: { http: { url: "http://127.0.0.1:%d/alarms/{device}" } }
                    retry: { max-attempts: 1 }
                """.formatted(mosquitto.port(), webhook.port()));
        Await.until(Duration.ofSeconds(10), "the link up",
                () -> "up".equals(tributary.linkState("plant")));
    }

    @AfterEach
    void stop() throws Exception {
        Teardown.closeInOrder(tributary, webhook, mosquitto);
    }

    @Test
    void aMessageTheRouteFailedComesAgainFromTheBrokerUntilItIsDelivered() {
        webhook.script("/alarms", (request, index) -> WebhookServer.Answer.status(index < 2 ? 503 : 200));

        Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("device")
                .serverHost("127.0.0.1").serverPort(mosquitto.port()).buildBlocking();
        device.connect();
        device.publishWith().topic("alarms/d1").qos(MqttQos.AT_LEAST_ONCE)
                .payload("fire".getBytes(StandardCharsets.UTF_8)).send();
        device.disconnect();

        Await.until(Duration.ofSeconds(30), "acknowledged to Mosquitto once the webhook took it",
                () -> acknowledged() == 1);
        List<Integer> answers = webhook.answered("/alarms").stream().map(WebhookServer.Answered::status).toList();
        assertEquals(List.of(503, 503, 200), answers, "the same message, sent again by Mosquitto after each failure");
        assertEquals(List.of("fire", "fire", "fire"),
                webhook.requests("/alarms").stream().map(WebhookServer.Request::bodyText).toList());
    }

    private long acknowledged() {
        return (long) tributary.bridge().metrics().find(LinkMeters.ACKNOWLEDGED).tag("connection", "plant")
                .functionCounter().count();
    }
}
