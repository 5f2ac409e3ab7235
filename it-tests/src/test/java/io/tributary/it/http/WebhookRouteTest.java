package io.tributary.it.http;

import io.tributary.testsupport.http.WebhookServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tributary.testsupport.await.Await;
import io.tributary.it.support.TestTributary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT to a webhook end to end, with a real MQTT 5 client: the device's PUBACK comes only once the webhook
 * answered 2xx; 5xx answers and {@code Retry-After} are retried without losing a message; 1,000 QoS 1
 * messages all arrive.
 */
class WebhookRouteTest {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRouteTest.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path data;
    static WebhookServer webhook;
    static TestTributary tributary;
    static Mqtt5AsyncClient device;

    @BeforeAll
    static void start() throws Exception {
        webhook = WebhookServer.start();
        // The first route is the issue's example as written; the others differ in what the tests need.
        tributary = TestTributary.start(data, """
                routes:
                  - name: alarms-to-webhook
                    from: { mqtt: "sites/+/alarms/#" }
                    to: { http: { url: "http://127.0.0.1:%1$d/alarms", method: POST } }
                  - name: flaky-webhook
                    from: { mqtt: "flaky/{device}" }
                    to: { http: { url: "http://127.0.0.1:%1$d/flaky/{device}", method: POST } }
                    retry: { max-attempts: 5, initial-backoff: 100ms, max-backoff: 5s }
                  - name: bulk-to-webhook
                    from: { mqtt: "bulk/{device}" }
                    to: { http: { url: "http://127.0.0.1:%1$d/bulk", concurrency: 8 } }
                    retry: { max-attempts: 5, initial-backoff: 50ms, max-backoff: 1s }
                """.formatted(webhook.port()));
        device = tributary.mqtt5Async("device-1");
    }

    @AfterAll
    static void stop() {
        if (device != null) {
            device.disconnect().join();
        }
        if (tributary != null) {
            tributary.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    void thePubackComesOnlyOnceTheWebhookAnswered2xx() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        webhook.script("/alarms", (request, index) -> {
            answer.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            return WebhookServer.Answer.status(202);
        });
        CompletableFuture<Mqtt5PublishResult> puback = publish("sites/s1/alarms/smoke", "{\"level\":3}");

        Await.until(WAIT, "the webhook got the alarm", () -> webhook.requests("/alarms").size() == 1);
        Thread.sleep(500);
        assertFalse(puback.isDone(), "PUBACK before the webhook answered");

        answer.countDown();
        Mqtt5PublishResult result = puback.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(result.getError().isEmpty(), () -> "PUBACK failed: " + result.getError());
        List<WebhookServer.Request> requests = webhook.requests("/alarms");
        assertEquals(1, requests.size());
        assertEquals("POST", requests.get(0).method());
        assertEquals("{\"level\":3}", requests.get(0).bodyText());
        assertEquals("application/octet-stream", requests.get(0).header("Content-Type"));
    }

    @Test
    void serverErrorsAndRetryAfterAreRetriedUntilTheWebhookTakesTheMessage() throws Exception {
        webhook.script("/flaky/d1", (request, index) -> switch (index) {
            case 0 -> WebhookServer.Answer.status(500);
            case 1 -> new WebhookServer.Answer(503, Map.of("Retry-After", "1"));
            default -> WebhookServer.Answer.status(200);
        });
        Mqtt5PublishResult result = publish("flaky/d1", "reading").get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertTrue(result.getError().isEmpty(), () -> "PUBACK failed: " + result.getError());
        List<WebhookServer.Answered> requests = webhook.answered("/flaky/d1");
        assertEquals(List.of(500, 503, 200), requests.stream().map(WebhookServer.Answered::status).toList());
        long afterRetryAfter = TimeUnit.NANOSECONDS.toMillis(requests.get(2).request().receivedNanos()
                - requests.get(1).request().receivedNanos());
        // The route's own backoff would be 200 ms here.
        assertTrue(afterRetryAfter >= 950, "third attempt " + afterRetryAfter + " ms after the 503");
    }

    @Test
    void aThousandQos1MessagesArriveAllWithInjectedFailures() throws Exception {
        int count = 1_000;
        // One request in 25 fails the first time it is tried, as an overloaded webhook would.
        Map<String, Integer> tries = new java.util.concurrent.ConcurrentHashMap<>();
        webhook.script("/bulk", (request, index) -> {
            String body = request.bodyText();
            int tried = tries.merge(body, 1, Integer::sum);
            int n = Integer.parseInt(body.substring(body.indexOf('-') + 1));
            if (tried == 1 && n % 25 == 0) {
                return n % 50 == 0 ? new WebhookServer.Answer(429, Map.of("Retry-After", "0"))
                        : WebhookServer.Answer.status(503);
            }
            return WebhookServer.Answer.status(200);
        });
        long start = System.nanoTime();
        List<CompletableFuture<Mqtt5PublishResult>> pubacks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pubacks.add(publish("bulk/d" + (i % 10), "m-" + i));
        }
        CompletableFuture.allOf(pubacks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        for (CompletableFuture<Mqtt5PublishResult> puback : pubacks) {
            assertTrue(puback.get().getError().isEmpty(), () -> "a PUBACK failed: " + puback.join().getError());
        }

        Map<String, Integer> delivered = new HashMap<>();
        int failed = 0;
        for (WebhookServer.Answered answered : webhook.answered("/bulk")) {
            if (answered.status() == 200) {
                delivered.merge(answered.request().bodyText(), 1, Integer::sum);
            } else {
                failed++;
            }
        }
        assertEquals(count, delivered.size(), "messages the webhook took");
        assertTrue(delivered.values().stream().allMatch(n -> n == 1), "a message was taken twice");
        assertEquals(count / 25, failed, "injected failures");
        LOG.info("{} QoS 1 messages through the webhook (concurrency 8, {} failures retried) in {} ms: {} msg/s",
                count, failed, millis, count * 1000L / millis);
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(String topic, String payload) {
        return device.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }
}
