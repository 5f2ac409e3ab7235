package io.tributary.routes.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.bridge.config.ConnectionSettings;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.net.FreePort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge as the application starts it: {@code GET /api/v1/routes} shows a configured route's last error,
 * which the bridge's own route meters kept.
 */
class BridgeRouteErrorsTest {

    @TempDir
    Path data;

    @Test
    void aConfiguredRoutesFailedDeliveryIsItsLastError() throws Exception {
        String dead = "http://127.0.0.1:" + FreePort.onLoopback() + "/hook";
        try (MetricsFixture fixture = new MetricsFixture(data, ConnectionSettings.none(), List.of(
                MetricsFixture.mqttToMqtt("relay", "in/{device}", "out/{device}"),
                MetricsFixture.mqttToWebhook("to-dead-webhook", "hook/{device}", dead, Optional.empty())))) {
            assertTrue(route(fixture, "to-dead-webhook").get("lastError").isNull(), "no error before a message");

            fixture.broker.publish(Message.of("hook/d2", "x", QoS.AT_LEAST_ONCE, false));

            Await.until(Duration.ofSeconds(20), "the route's last error",
                    () -> route(fixture, "to-dead-webhook").get("lastError"), error -> !error.isNull());
            JsonNode error = route(fixture, "to-dead-webhook").get("lastError");
            assertTrue(error.get("message").asText().length() > 0, error.toString());
            assertEquals("started", route(fixture, "to-dead-webhook").get("state").asText());
            assertTrue(route(fixture, "relay").get("lastError").isNull());
        }
    }

    private static JsonNode route(MetricsFixture fixture, String name) {
        try {
            URI uri = URI.create("http://127.0.0.1:" + fixture.bridge.httpApiPort().orElseThrow() + "/api/v1/routes");
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer secret").GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(200, response.statusCode(), response.body());
            for (JsonNode route : new ObjectMapper().readTree(response.body()).get("routes")) {
                if (route.get("name").asText().equals(name)) {
                    return route;
                }
            }
            throw new AssertionError("no route " + name + " in " + response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
