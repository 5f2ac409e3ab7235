package io.tributary.hivemq;

import static io.tributary.hivemq.Devices.assertSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.http.WebhookServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented limit of HiveMQ CE (its per-client task queue): while one publish of a client is held for its sink,
 * that client's next publish does not reach the routes, whereas another client's publish is routed and acknowledged.
 * Shown with a real webhook that holds the first client's first request open.
 */
class OneHeldPublishPerClientTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    @Test
    void aHeldPublishHoldsItsClientsNextPublishButNotAnotherClients() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (WebhookServer webhook = WebhookServer.start()) {
            webhook.script("/readings/slow", (request, index) -> {
                if (index == 0) {
                    release.await(60, TimeUnit.SECONDS);
                }
                return WebhookServer.Answer.status(200);
            });
            String yaml = """
                    routes:
                      - name: readings
                        from: { mqtt: "readings/{device}" }
                        to: { http: { url: "%s/{device}", method: POST } }
                    """.formatted(webhook.url("/readings"));
            try (HiveMqWithTributary hivemq = HiveMqWithTributary.start(folder, yaml)) {
                Mqtt5AsyncClient slow = Devices.connect(hivemq, "slow");
                Mqtt5AsyncClient other = Devices.connect(hivemq, "other");

                CompletableFuture<Mqtt5PublishResult> first = publish(slow, "slow", "first");
                Await.until(WAIT, "the webhook holds the first request", () -> webhook.requests("/readings/slow")
                        .size() == 1);
                CompletableFuture<Mqtt5PublishResult> second = publish(slow, "slow", "second");
                assertSuccess(publish(other, "other", "meanwhile").get(WAIT.toSeconds(), TimeUnit.SECONDS));
                Await.holds(Duration.ofSeconds(1), "the held client's second publish waits in HiveMQ, before the "
                        + "route", () -> webhook.requests("/readings/slow").size() == 1 && !first.isDone()
                                && !second.isDone() && messagesIn(hivemq) == 2);
                release.countDown();

                assertSuccess(first.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertSuccess(second.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertEquals(List.of("first", "second"), webhook.requests("/readings/slow").stream()
                        .map(WebhookServer.Request::bodyText).toList(), "in order, each once");
                slow.disconnect().get(10, TimeUnit.SECONDS);
                other.disconnect().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient device, String name,
                                                                 String payload) {
        return device.publishWith().topic("readings/" + name).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    /** The route's {@code tributary.route.messages.in} counter, as HiveMQ's metric registry shows it. */
    private static double messagesIn(HiveMqWithTributary hivemq) {
        return hivemq.hivemq().getMetricRegistry().getGauges((name, metric) ->
                        name.startsWith("tributary.route.messages.in.")).values().stream()
                .mapToDouble(gauge -> ((Number) gauge.getValue()).doubleValue()).sum();
    }
}
