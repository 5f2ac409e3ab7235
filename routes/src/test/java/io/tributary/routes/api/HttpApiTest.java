package io.tributary.routes.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.broker.UserProperty;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpApiTest {

    @TempDir
    static Path data;
    static ApiFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ApiFixture.start(data);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return ApiJson.MAPPER.readTree(response.body());
    }

    static String error(HttpResponse<String> response) throws Exception {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                "an error is JSON: " + response.headers().map());
        JsonNode error = json(response).get("error");
        assertNotNull(error, response.body());
        return error.asText();
    }

    // --- authentication

    @Test
    void withoutAuthorizationHeaderAnswers401() throws Exception {
        HttpResponse<String> response = fixture.send(HttpRequest.newBuilder(fixture.uri("/api/v1/webhooks"))
                .GET().build());
        assertEquals(401, response.statusCode());
        assertTrue(error(response).contains("Authorization header is missing"), response.body());
        assertEquals("Bearer realm=\"tributary\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void wrongTokenAnswers401() throws Exception {
        HttpResponse<String> response = fixture.send(HttpRequest.newBuilder(fixture.uri("/api/v1/webhooks"))
                .header("Authorization", "Bearer " + ApiFixture.TOKEN + "x").GET().build());
        assertEquals(401, response.statusCode());
        assertTrue(error(response).contains("not accepted"), response.body());
    }

    @Test
    void otherSchemeAnswers401() throws Exception {
        String basic = Base64.getEncoder()
                .encodeToString(("user:" + ApiFixture.TOKEN).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = fixture.send(HttpRequest.newBuilder(fixture.uri("/api/v1/webhooks"))
                .header("Authorization", "Basic " + basic).GET().build());
        assertEquals(401, response.statusCode());
        assertTrue(error(response).contains("Bearer scheme"), response.body());
    }

    @Test
    void unauthenticatedPublishPublishesNothing() throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        InProcessSubscription subscription = fixture.broker.subscribe("auth/none",
                SubscribeOptions.of(QoS.AT_MOST_ONCE), message -> {
                    received.add(message);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            HttpResponse<String> response = fixture.send(HttpRequest.newBuilder(fixture.uri("/api/v1/publish"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"auth/none\",\"payload\":\"x\"}")).build());
            assertEquals(401, response.statusCode());
            assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS));
        } finally {
            subscription.close();
        }
    }

    @Test
    void everyConfiguredTokenIsAccepted() throws Exception {
        HttpResponse<String> response = fixture.send(HttpRequest.newBuilder(fixture.uri("/api/v1/webhooks"))
                .header("Authorization", "bearer " + ApiFixture.FILE_TOKEN).GET().build());
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() throws Exception {
        HttpResponse<String> unknown = fixture.get("/api/v1/nothing-here");
        assertEquals(404, unknown.statusCode());
        assertTrue(error(unknown).contains("no such endpoint"), unknown.body());

        HttpResponse<String> wrongMethod = fixture.get("/api/v1/publish");
        assertEquals(405, wrongMethod.statusCode());
        assertTrue(error(wrongMethod).contains("GET is not allowed"), wrongMethod.body());
        assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElse(null));
    }

    @Test
    void bodyOverOneMebibyteIs413() throws Exception {
        String payload = "x".repeat((int) HttpApi.MAX_BODY_BYTES);
        HttpResponse<String> response = fixture.post("/api/v1/publish",
                "{\"topic\":\"big\",\"payload\":\"" + payload + "\"}");
        assertEquals(413, response.statusCode());
        assertTrue(error(response).contains("larger than"), response.body());
    }

    @Test
    void formEncodedBodyIs415AskingForJson() throws Exception {
        HttpResponse<String> response = fixture.send(fixture.request("/api/v1/publish")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"a\",\"payload\":\"x\"}")).build());
        assertEquals(415, response.statusCode());
        assertTrue(response.body().contains("Content-Type: application/json"), response.body());
    }

    @Test
    void openApiIsServedWithoutToken() throws Exception {
        HttpResponse<String> response = fixture.send(HttpRequest.newBuilder(fixture.uri("/api/v1/openapi.yaml"))
                .GET().build());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
        assertTrue(response.body().startsWith("openapi: 3.0"), response.body());
    }

    // --- publish

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "empty body | `` | empty",
            "not JSON | {topic: | not valid JSON",
            "not an object | [1] | JSON object",
            "no topic | {\"payload\":\"x\"} | 'topic' is required",
            "topic not a string | {\"topic\":5,\"payload\":\"x\"} | 'topic' must be a string",
            "empty topic | {\"topic\":\"\",\"payload\":\"x\"} | 'topic' must not be empty",
            "wildcard topic | {\"topic\":\"a/+/b\",\"payload\":\"x\"} | 'topic' must not contain the wildcards",
            "qos 3 | {\"topic\":\"a\",\"qos\":3,\"payload\":\"x\"} | 'qos' must be 0, 1 or 2",
            "qos as text | {\"topic\":\"a\",\"qos\":\"1\",\"payload\":\"x\"} | 'qos' must be 0, 1 or 2",
            "retain as text | {\"topic\":\"a\",\"retain\":\"yes\",\"payload\":\"x\"} | 'retain' must be true or false",
            "no payload | {\"topic\":\"a\"} | 'payload' (text) or 'payloadBase64' is required",
            "two payloads | {\"topic\":\"a\",\"payload\":\"x\",\"payloadBase64\":\"eA==\"} | not both",
            "bad base64 | {\"topic\":\"a\",\"payloadBase64\":\"***\"} | 'payloadBase64' is not valid base64",
            "properties a number | {\"topic\":\"a\",\"payload\":\"x\",\"userProperties\":5} | 'userProperties' must be",
            "property not text | {\"topic\":\"a\",\"payload\":\"x\",\"userProperties\":{\"k\":1}} | "
                    + "'userProperties.k' must be a string",
            "property entry wrong | {\"topic\":\"a\",\"payload\":\"x\",\"userProperties\":[{\"name\":\"k\"}]} | "
                    + "'userProperties[0]'",
            "unknown field | {\"topic\":\"a\",\"paylod\":\"x\"} | unknown field(s) paylod",
    })
    void invalidPublishIs400SayingWhatIsWrong(String name, String body, String expected) throws Exception {
        HttpResponse<String> response = fixture.post("/api/v1/publish", body == null ? "" : body);
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(error(response).contains(expected), name + ": " + response.body());
    }

    @Test
    void publishAnswersOnlyAfterTheBrokerAcceptedItAndSubscribersGetUserProperties() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        InProcessSubscription subscription = fixture.broker.subscribe("devices/+/commands",
                SubscribeOptions.of(QoS.EXACTLY_ONCE).holdingPublisherAck(), message -> {
                    received.add(message);
                    return gate;
                });
        try {
            CompletableFuture<HttpResponse<String>> answer = fixture.client.sendAsync(
                    fixture.request("/api/v1/publish").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"topic\":\"devices/d1/commands\",\"qos\":1,\"payload\":\"reboot\","
                                    + "\"contentType\":\"text/plain\","
                                    + "\"userProperties\":[{\"name\":\"origin\",\"value\":\"ops\"},"
                                    + "{\"name\":\"origin\",\"value\":\"api\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Message message = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(message, "the subscriber got nothing");
            Thread.sleep(300);
            assertFalse(answer.isDone(), "answered before the subscriber took the message");
            gate.complete(null);
            HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("devices/d1/commands", json(response).get("topic").asText());
            assertEquals(1, json(response).get("qos").asInt());

            assertEquals("reboot", message.payloadAsString());
            assertEquals(QoS.AT_LEAST_ONCE, message.qos());
            assertEquals("text/plain", message.properties().contentType());
            assertEquals(List.of(new UserProperty("origin", "ops"), new UserProperty("origin", "api")),
                    message.properties().userProperties());
        } finally {
            subscription.close();
        }
    }

    @Test
    void publishWhosePayloadARouteRefusedIs422() throws Exception {
        InProcessSubscription subscription = fixture.broker.subscribe("readings/#",
                SubscribeOptions.of(QoS.AT_LEAST_ONCE).holdingPublisherAck(), message -> CompletableFuture
                        .failedFuture(new io.tributary.broker.PayloadRefusedException("the payload is not JSON")));
        try {
            HttpResponse<String> response = fixture.client.send(fixture.request("/api/v1/publish")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"readings/r1\",\"qos\":1,"
                            + "\"payload\":\"plain\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(422, response.statusCode(), response.body());
            assertTrue(response.body().contains("the payload is not JSON"), response.body());
        } finally {
            subscription.close();
        }
    }

    @Test
    void publishesBase64PayloadAndObjectUserProperties() throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        byte[] bytes = {0, (byte) 0xff, 0x10, (byte) 0x80};
        InProcessSubscription subscription = fixture.broker.subscribe("binary/#", SubscribeOptions.of(QoS.AT_MOST_ONCE),
                message -> {
                    received.add(message);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            HttpResponse<String> response = fixture.post("/api/v1/publish",
                    "{\"topic\":\"binary/1\",\"payloadBase64\":\""
                    + Base64.getEncoder().encodeToString(bytes) + "\",\"userProperties\":{\"a\":\"1\",\"b\":\"2\"}}");
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(0, json(response).get("qos").asInt());
            Message message = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(message);
            assertArrayEquals(bytes, message.payload());
            assertEquals(List.of(new UserProperty("a", "1"), new UserProperty("b", "2")),
                    message.properties().userProperties());
        } finally {
            subscription.close();
        }
    }

    // --- retained

    @Test
    void readsRetainedMessages() throws Exception {
        assertEquals(200, fixture.post("/api/v1/publish", "{\"topic\":\"status/s1\",\"qos\":1,\"retain\":true,"
                + "\"payload\":\"online\",\"userProperties\":{\"by\":\"test\"}}").statusCode());
        byte[] binary = {1, 2, (byte) 0xfe};
        assertEquals(200, fixture.post("/api/v1/publish", "{\"topic\":\"status/s2\",\"retain\":true,"
                + "\"payloadBase64\":\"" + Base64.getEncoder().encodeToString(binary) + "\"}").statusCode());

        HttpResponse<String> one = fixture.get("/api/v1/retained?topic=status/s1");
        assertEquals(200, one.statusCode(), one.body());
        JsonNode message = json(one);
        assertEquals("status/s1", message.get("topic").asText());
        assertEquals("online", message.get("payload").asText());
        assertEquals("utf-8", message.get("payloadEncoding").asText());
        assertEquals(1, message.get("qos").asInt());
        assertTrue(message.get("retain").asBoolean());
        assertEquals("by", message.get("userProperties").get(0).get("name").asText());
        assertEquals("test", message.get("userProperties").get(0).get("value").asText());

        HttpResponse<String> all = fixture.get("/api/v1/retained?filter=status/%23");
        assertEquals(200, all.statusCode(), all.body());
        JsonNode messages = json(all).get("messages");
        assertEquals(2, messages.size(), all.body());
        JsonNode s2 = messages.get(0).get("topic").asText().equals("status/s2") ? messages.get(0) : messages.get(1);
        assertEquals("base64", s2.get("payloadEncoding").asText());
        assertArrayEquals(binary, Base64.getDecoder().decode(s2.get("payload").asText()));

        HttpResponse<String> none = fixture.get("/api/v1/retained?topic=status/s9");
        assertEquals(404, none.statusCode());
        assertTrue(error(none).contains("no retained message on topic status/s9"), none.body());

        HttpResponse<String> empty = fixture.get("/api/v1/retained?filter=nothing/%23");
        assertEquals(200, empty.statusCode());
        assertEquals(0, json(empty).get("messages").size());
    }

    @Test
    void retainedWithALimitGivesTheFirstByTopicAndTheTotal() throws Exception {
        for (String site : new String[] {"c", "a", "b"}) {
            assertEquals(200, fixture.post("/api/v1/publish", "{\"topic\":\"limited/" + site + "\",\"retain\":true,"
                    + "\"payload\":\"x\"}").statusCode());
        }
        JsonNode two = json(fixture.get("/api/v1/retained?filter=limited/%23&limit=2"));
        assertEquals(3, two.get("total").asInt(), two.toString());
        assertEquals(2, two.get("messages").size());
        assertEquals("limited/a", two.get("messages").get(0).get("topic").asText());
        assertEquals("limited/b", two.get("messages").get(1).get("topic").asText());
        assertEquals(3, json(fixture.get("/api/v1/retained?filter=limited/%23")).get("messages").size());

        HttpResponse<String> zero = fixture.get("/api/v1/retained?filter=limited/%23&limit=0");
        assertEquals(400, zero.statusCode());
        assertTrue(error(zero).contains("'limit' must be a whole number from 1 to 10000"), zero.body());
        assertEquals(400, fixture.get("/api/v1/retained?topic=limited/a&limit=1").statusCode());
    }

    @Test
    void retainedNeedsExactlyOneValidParameter() throws Exception {
        HttpResponse<String> neither = fixture.get("/api/v1/retained");
        assertEquals(400, neither.statusCode());
        assertTrue(error(neither).contains("exactly one of the query parameters 'topic'"), neither.body());
        HttpResponse<String> both = fixture.get("/api/v1/retained?topic=a&filter=a");
        assertEquals(400, both.statusCode());
        HttpResponse<String> wildcard = fixture.get("/api/v1/retained?topic=a/%23");
        assertEquals(400, wildcard.statusCode());
        assertTrue(error(wildcard).contains("'topic' must not contain the wildcards"), wildcard.body());
        HttpResponse<String> badFilter = fixture.get("/api/v1/retained?filter=a/%23/b");
        assertEquals(400, badFilter.statusCode());
        assertTrue(error(badFilter).contains("'filter' is not valid"), badFilter.body());
        HttpResponse<String> twice = fixture.get("/api/v1/retained?topic=a&topic=b");
        assertEquals(400, twice.statusCode());
        assertTrue(error(twice).contains("'topic' once"), twice.body());
    }
}
