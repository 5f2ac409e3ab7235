package io.tributary.routes.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.HttpApiSettings;
import io.tributary.bridge.config.Secret;
import io.tributary.broker.AclConfig;
import io.tributary.broker.AclRule;
import io.tributary.broker.AclRule.Access;
import io.tributary.broker.Broker;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API's tokens act as users under the broker's access rules: the `tokens` as the user `api`, the
 * `users` by their names. What a token may publish, read and stream is what its user may.
 */
class ApiAccessRulesTest {

    private static final Map<String, String> ENVIRONMENT = Map.of("API_TOKEN", "api-secret",
            "VIEWER_TOKEN", "viewer-secret", "WRITER_TOKEN", "writer-secret");

    @TempDir
    Path data;

    private ApiStack stack;
    private Broker broker;
    private HttpApi api;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() {
        AclConfig rules = new AclConfig(null, List.of(
                AclRule.topic("api", Access.READWRITE, "api/#"),
                AclRule.topic("viewer", Access.READ, "sensors/#"),
                AclRule.topic("viewer", Access.DENY, "sensors/secret/#"),
                AclRule.topic("writer", Access.WRITE, "sensors/#")));
        HttpApiSettings settings = new HttpApiSettings("127.0.0.1", 0,
                List.of(Secret.fromEnvironment("API_TOKEN")))
                .withUsers(Map.of("viewer", Secret.fromEnvironment("VIEWER_TOKEN"),
                        "writer", Secret.fromEnvironment("WRITER_TOKEN")))
                // The test's webhook receiver listens on loopback, which the API refuses by default.
                .withPrivateWebhookTargets(true);
        stack = ApiStack.start(data, settings, ENVIRONMENT, rules, context -> { });
        broker = stack.broker;
        api = stack.api;
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    private HttpRequest.Builder request(String token, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> publish(String token, String topic, boolean retain) throws Exception {
        return client.send(request(token, ApiPaths.PUBLISH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\": \"" + topic + "\", \"payload\": \"p\", "
                        + "\"qos\": 1, \"retain\": " + retain + "}")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String token, String pathAndQuery) throws Exception {
        return client.send(request(token, pathAndQuery).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void theTokensActAsTheUserApi() throws Exception {
        assertEquals(200, publish("api-secret", "api/x", false).statusCode());
        HttpResponse<String> refused = publish("api-secret", "sensors/x", false);
        assertEquals(403, refused.statusCode());
        assertEquals("{\"error\":\"this token's user may not publish to 'sensors/x'\"}", refused.body());
    }

    @Test
    void eachUserPublishesAndReadsWhatItsRulesAllow() throws Exception {
        assertEquals(200, publish("writer-secret", "sensors/a", true).statusCode());
        assertEquals(200, publish("writer-secret", "sensors/secret/b", true).statusCode());
        assertEquals(403, publish("viewer-secret", "sensors/c", false).statusCode(), "viewer only reads");
        assertEquals(403, get("writer-secret", ApiPaths.RETAINED + "?filter=sensors/%23").statusCode(),
                "writer only writes");

        HttpResponse<String> retained = get("viewer-secret", ApiPaths.RETAINED + "?filter=%23");
        assertEquals(200, retained.statusCode());
        assertTrue(retained.body().contains("\"sensors/a\""), retained.body());
        assertFalse(retained.body().contains("sensors/secret/b"), "a denied topic is left out: " + retained.body());
        assertEquals(403, get("viewer-secret", ApiPaths.RETAINED + "?topic=sensors/secret/b").statusCode());
        assertEquals(403, get("viewer-secret", ApiPaths.RETAINED + "?filter=sensors/secret/%23").statusCode());
    }

    @Test
    void aStreamDeliversOnlyReadableTopics() throws Exception {
        assertEquals(403, get("writer-secret", ApiPaths.STREAM + "?filter=sensors/%23").statusCode());
        HttpResponse<InputStream> response = client.send(request("viewer-secret", ApiPaths.STREAM + "?filter=%23")
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (InputStream body = response.body()) {
            EventStreamTest.EventReader reader = new EventStreamTest.EventReader(body);
            reader.next(); // the ": subscribed" comment
            assertEquals(200, publish("writer-secret", "sensors/secret/c", false).statusCode());
            assertEquals(200, publish("writer-secret", "sensors/d", false).statusCode());
            EventStreamTest.Event event = reader.nextEvent();
            assertTrue(event.data().contains("\"topic\":\"sensors/d\""), "the secret one was skipped: " + event);
        }
    }

    private HttpResponse<String> registerWebhook(String token, String name, String filter) throws Exception {
        return client.send(request(token, "/api/v1/webhooks").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"filter\":\"" + filter
                        + "\",\"url\":\"http://127.0.0.1:1/x\"}")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void aWebhookMayOnlyCoverTopicsItsUserMayAllRead() throws Exception {
        HttpResponse<String> broad = registerWebhook("viewer-secret", "broad", "sensors/#");
        assertEquals(403, broad.statusCode(), "sensors/secret/# is inside it: " + broad.body());
        assertEquals(403, registerWebhook("writer-secret", "w", "sensors/a").statusCode(), "writer only writes");
        HttpResponse<String> narrow = registerWebhook("viewer-secret", "narrow", "sensors/public/#");
        assertEquals(201, narrow.statusCode(), narrow.body());
    }
}
