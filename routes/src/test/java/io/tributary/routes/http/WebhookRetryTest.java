package io.tributary.routes.http;

import io.tributary.testsupport.net.FreePort;
import io.tributary.testsupport.http.WebhookServer;
import io.tributary.testsupport.await.Await;
import static io.tributary.routes.http.WebhookBridge.post;
import static io.tributary.routes.http.WebhookBridge.quickRetries;
import static io.tributary.routes.http.WebhookBridge.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.RetrySettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.broker.Message;
import io.tributary.broker.UserProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which answers complete an exchange, which are retried and how, which go to the dead letter at once. */
class WebhookRetryTest {

    @TempDir
    static Path data;
    static WebhookServer server;
    static WebhookBridge bridge;
    static int closedPort;

    @BeforeAll
    static void start() throws Exception {
        server = WebhookServer.start();
        closedPort = FreePort.onLoopback();
        server.script("/flaky", (request, index) -> WebhookServer.Answer.status(index == 0 ? 500 : 204));
        server.script("/slow", (request, index) -> {
            if (index == 0) {
                Await.sleep(1500);
            }
            return WebhookServer.Answer.status(200);
        });
        server.script("/busy", (request, index) -> index == 0
                ? new WebhookServer.Answer(429, Map.of("Retry-After", "1")) : WebhookServer.Answer.status(200));
        server.script("/capped", (request, index) -> index == 0
                ? new WebhookServer.Answer(503, Map.of("Retry-After", "30")) : WebhookServer.Answer.status(200));
        server.script("/gone", (request, index) -> WebhookServer.Answer.status(404));
        server.script("/down", (request, index) -> WebhookServer.Answer.status(500));
        server.script("/nodead", (request, index) -> WebhookServer.Answer.status(502));
        RouteSink.Http slow = post(server.url("/slow"));
        slow = new RouteSink.Http(slow.url(), slow.method(), slow.format(), Duration.ofMillis(300), 1,
                slow.headers(), slow.auth());
        bridge = WebhookBridge.start(data, List.of(
                route("flaky", "flaky", post(server.url("/flaky")), quickRetries(3), true),
                route("slow", "slow", slow, quickRetries(3), true),
                route("busy", "busy", post(server.url("/busy")), quickRetries(3), true),
                route("capped", "capped", post(server.url("/capped")),
                        new RetrySettings(3, Duration.ofMillis(50), 2.0, Duration.ofMillis(300)), true),
                route("gone", "gone", post(server.url("/gone")), quickRetries(5), true),
                route("down", "down", post(server.url("/down")), quickRetries(3), true),
                route("nodead", "nodead", post(server.url("/nodead")), quickRetries(2), false),
                route("refused", "refused", post("http://127.0.0.1:" + closedPort + "/x"), quickRetries(2), true)),
                Map.of());
    }

    @AfterAll
    static void stop() {
        if (bridge != null) {
            bridge.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aServerErrorIsRetriedAndTheMessageDeliveredOnceItAnswers2xx() throws Exception {
        bridge.publish("flaky", "m1").get(10, TimeUnit.SECONDS);
        assertEquals(2, server.requests("/flaky").size());
        assertNull(deadLetterOrNull("dead/flaky", Duration.ofMillis(300)));
    }

    @Test
    void anAnswerSlowerThanTheTimeoutIsRetried() throws Exception {
        long start = System.nanoTime();
        bridge.publish("slow", "m1").get(10, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(2, server.requests("/slow").size());
        // The first attempt was given up after 300 ms, not after the server's 1.5 s.
        assertTrue(millis < 1400, "delivered after " + millis + " ms");
    }

    @Test
    void retryAfterSetsTheWaitBeforeTheNextAttempt() throws Exception {
        bridge.publish("busy", "m1").get(10, TimeUnit.SECONDS);
        List<WebhookServer.Request> requests = server.requests("/busy");
        assertEquals(2, requests.size());
        long gap = TimeUnit.NANOSECONDS.toMillis(requests.get(1).receivedNanos() - requests.get(0).receivedNanos());
        // Without Retry-After the route would wait 50 ms.
        assertTrue(gap >= 950, "second attempt " + gap + " ms after the first");
    }

    @Test
    void retryAfterIsCappedByTheRoutesMaxBackoff() throws Exception {
        bridge.publish("capped", "m1").get(10, TimeUnit.SECONDS);
        List<WebhookServer.Request> requests = server.requests("/capped");
        assertEquals(2, requests.size());
        long gap = TimeUnit.NANOSECONDS.toMillis(requests.get(1).receivedNanos() - requests.get(0).receivedNanos());
        assertTrue(gap >= 250 && gap < 2000, "second attempt " + gap + " ms after the first (max-backoff 300 ms)");
    }

    @Test
    void aPermanentRefusalGoesToTheDeadLetterAtOnce() throws Exception {
        long start = System.nanoTime();
        WebhookBridge.awaitRefused(bridge.publish("gone", "m1"));
        Message dead = deadLetter("dead/gone");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(1, server.requests("/gone").size());
        assertEquals("PermanentDeliveryException: webhook POST 127.0.0.1:" + port() + " answered 404 Not Found",
                property(dead, "tributary-error"));
        assertEquals("gone", property(dead, "tributary-route"));
        assertEquals("m1", dead.payloadAsString());
        assertTrue(millis < 1000, "dead-lettered after " + millis + " ms");
    }

    @Test
    void pastTheLastAttemptTheMessageGoesToTheDeadLetterWithTheError() throws Exception {
        bridge.publish("down", "m1").get(10, TimeUnit.SECONDS);
        Message dead = deadLetter("dead/down");
        assertEquals(3, server.requests("/down").size());
        assertEquals("WebhookDeliveryException: webhook POST 127.0.0.1:" + port() + " answered 500 Internal Server "
                + "Error", property(dead, "tributary-error"));
    }

    @Test
    void withoutADeadLetterTheFailureReachesThePublisher() {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> bridge.publish("nodead", "m1").get(10, TimeUnit.SECONDS));
        assertTrue(failed.getCause().getMessage().contains("answered 502 Bad Gateway"), failed.getCause().toString());
        assertEquals(2, server.requests("/nodead").size());
    }

    @Test
    void aRefusedConnectionIsRetriedThenDeadLettered() throws Exception {
        bridge.publish("refused", "m1").get(10, TimeUnit.SECONDS);
        Message dead = deadLetter("dead/refused");
        assertEquals("WebhookDeliveryException: webhook POST 127.0.0.1:" + closedPort + " refused the connection",
                property(dead, "tributary-error"));
    }

    private static int port() {
        return Integer.parseInt(server.url("").substring("http://127.0.0.1:".length()));
    }

    private static Message deadLetter(String topic) throws InterruptedException {
        Message message = deadLetterOrNull(topic, Duration.ofSeconds(10));
        if (message == null) {
            throw new AssertionError("no dead letter on " + topic);
        }
        return message;
    }

    private static Message deadLetterOrNull(String topic, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (Message message : List.copyOf(bridge.deadLetters)) {
                if (message.topic().equals(topic) && bridge.deadLetters.remove(message)) {
                    return message;
                }
            }
            Thread.sleep(10);
        }
        return null;
    }

    private static String property(Message message, String name) {
        return message.properties().userProperties().stream().filter(p -> p.name().equals(name))
                .map(UserProperty::value).findFirst().orElse(null);
    }
}
