package io.tributary.routes.http;

import io.tributary.testsupport.http.WebhookServer;
import static io.tributary.routes.http.WebhookBridge.post;
import static io.tributary.routes.http.WebhookBridge.quickRetries;
import static io.tributary.routes.http.WebhookBridge.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.bridge.config.HttpAuth;
import io.tributary.bridge.config.RetrySettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.Secret;
import io.tributary.bridge.mapping.Template;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What a webhook receives: the URL, the body of each format, the route's headers, the credentials. */
class WebhookRequestTest {

    private static final String TOKEN = "tok-3f9a1c7e-never-logged";
    private static final String PASSWORD = "pw-81b2d4-never-logged";
    private static final long RECEIVED_AT = 1_700_000_000_123L;

    @TempDir
    static Path data;
    static WebhookServer server;
    static WebhookBridge bridge;
    static ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        server = WebhookServer.start();
        Map<String, Template> headers = new LinkedHashMap<>();
        headers.put("X-Site", Template.parse("{site}"));
        headers.put("X-Tenant", Template.parse("tenant-{header.tenant}"));
        RouteSink.Http raw = new RouteSink.Http(Template.parse(server.url("/raw/{site}/alarms?from={client-id}")),
                "PUT", RouteSink.WebhookFormat.RAW, Duration.ofSeconds(2), 2, headers, Optional.empty());
        RouteSink.Http envelope = new RouteSink.Http(Template.parse(server.url("/envelope/{device}")), "POST",
                RouteSink.WebhookFormat.ENVELOPE, Duration.ofSeconds(2), 2, Map.of(), Optional.empty());
        RouteSink.Http bearer = withAuth(server.url("/bearer"),
                new HttpAuth.Bearer(Secret.fromEnvironment("WEBHOOK_TOKEN")));
        RouteSink.Http basic = withAuth(server.url("/basic"),
                new HttpAuth.Basic("tributary", Secret.fromEnvironment("WEBHOOK_PASSWORD")));
        RouteSink.Http refused = withAuth(server.url("/refused"),
                new HttpAuth.Bearer(Secret.fromEnvironment("WEBHOOK_TOKEN")));
        server.script("/refused", (request, index) -> WebhookServer.Answer.status(500));
        bridge = WebhookBridge.start(data, List.of(
                route("raw", "sites/{site}/alarms/#", raw, RetrySettings.defaults(), true),
                route("envelope", "devices/{device}/events", envelope, RetrySettings.defaults(), true),
                route("bearer", "auth/bearer", bearer, RetrySettings.defaults(), true),
                route("basic", "auth/basic", basic, RetrySettings.defaults(), true),
                route("refused", "auth/refused", refused, quickRetries(2), true)),
                Map.of("WEBHOOK_TOKEN", TOKEN, "WEBHOOK_PASSWORD", PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (bridge != null) {
            bridge.close();
        }
        if (server != null) {
            server.close();
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    private static RouteSink.Http withAuth(String url, HttpAuth auth) {
        RouteSink.Http plain = post(url);
        return new RouteSink.Http(plain.url(), plain.method(), plain.format(), plain.timeout(), plain.concurrency(),
                plain.headers(), Optional.of(auth));
    }

    @Test
    void rawBodyGoesAsIsWithItsContentTypeToTheRenderedUrl() throws Exception {
        byte[] payload = {0x01, (byte) 0xFF, 0x00, 0x7F};
        MessageProperties properties = new MessageProperties(false, null, "application/x-alarm", null, null,
                List.of(new UserProperty("tenant", "acme")));
        // A topic level may hold what a URL may not: each value is encoded as one path segment.
        String site = "north east ?%&";
        bridge.publish(new Message("sites/" + site + "/alarms/fire", payload, QoS.AT_LEAST_ONCE,
                false, properties, "dev 7&x", RECEIVED_AT)).get(10, TimeUnit.SECONDS);

        WebhookServer.Request request = request("raw", "/raw/north%20east%20%3F%25%26/alarms");
        assertEquals("PUT", request.method());
        assertEquals("/raw/north%20east%20%3F%25%26/alarms", request.path());
        assertEquals("from=dev%207%26x", request.query());
        assertEquals("application/x-alarm", request.header("Content-Type"));
        assertEquals(site, request.header("X-Site"));
        assertEquals("tenant-acme", request.header("X-Tenant"));
        assertEquals(List.of((byte) 0x01, (byte) 0xFF, (byte) 0x00, (byte) 0x7F), bytes(request.body()));
        assertEquals(null, request.header("Authorization"));
    }

    @Test
    void rawBodyWithoutContentTypeIsOctetStream() throws Exception {
        bridge.publish(new Message("sites/s1/alarms", "21.5".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE,
                false, new MessageProperties(false, null, null, null, null,
                        List.of(new UserProperty("tenant", "t2"))), "d1", RECEIVED_AT)).get(10, TimeUnit.SECONDS);
        WebhookServer.Request request = request("raw", "/raw/s1/alarms");
        assertEquals("application/octet-stream", request.header("Content-Type"));
        assertEquals("21.5", request.bodyText());
    }

    @Test
    void envelopeCarriesTheMessageAndItsProperties() throws Exception {
        MessageProperties properties = new MessageProperties(true, 3600L, "text/plain", "replies/d9",
                new byte[] {1, 2, 3}, List.of(new UserProperty("a", "1"), new UserProperty("a", "2")));
        long now = System.currentTimeMillis();
        bridge.publish(new Message("devices/d9/events", "héllo".getBytes(StandardCharsets.UTF_8),
                QoS.AT_LEAST_ONCE, true, properties, "d9", now)).get(10, TimeUnit.SECONDS);
        bridge.publish(new Message("devices/d10/events", new byte[] {(byte) 0xC3, 0x28, 0x00}, QoS.AT_MOST_ONCE,
                false, MessageProperties.NONE, null, RECEIVED_AT)).get(10, TimeUnit.SECONDS);

        WebhookServer.Request text = request("envelope", "/envelope/d9");
        assertEquals("application/json", text.header("Content-Type"));
        JsonNode json = new ObjectMapper().readTree(text.body());
        assertEquals(List.of("topic", "payload", "payloadEncoding", "qos", "retain", "clientId", "contentType",
                "responseTopic", "correlationData", "messageExpirySeconds", "userProperties", "timestamp"),
                fieldNames(json));
        assertEquals("devices/d9/events", json.get("topic").asText());
        assertEquals("héllo", json.get("payload").asText());
        assertEquals("utf-8", json.get("payloadEncoding").asText());
        assertEquals(1, json.get("qos").asInt());
        assertTrue(json.get("retain").asBoolean());
        assertEquals("d9", json.get("clientId").asText());
        assertEquals("text/plain", json.get("contentType").asText());
        assertEquals("replies/d9", json.get("responseTopic").asText());
        assertEquals("AQID", json.get("correlationData").asText());
        assertTrue(json.get("messageExpirySeconds").asLong() > 3590, json.toString());
        assertEquals("[{\"name\":\"a\",\"value\":\"1\"},{\"name\":\"a\",\"value\":\"2\"}]",
                json.get("userProperties").toString());
        assertEquals(Instant.ofEpochMilli(now).toString(), json.get("timestamp").asText());

        JsonNode binary = new ObjectMapper().readTree(request("envelope", "/envelope/d10").body());
        assertEquals(Base64.getEncoder().encodeToString(new byte[] {(byte) 0xC3, 0x28, 0x00}),
                binary.get("payload").asText());
        assertEquals("base64", binary.get("payloadEncoding").asText());
        assertEquals(0, binary.get("qos").asInt());
        assertFalse(binary.get("retain").asBoolean());
        assertTrue(binary.get("clientId").isNull());
        assertTrue(binary.get("contentType").isNull());
        assertTrue(binary.get("correlationData").isNull());
        assertTrue(binary.get("messageExpirySeconds").isNull());
        assertEquals(Instant.ofEpochMilli(RECEIVED_AT).toString(), binary.get("timestamp").asText());
        assertEquals(0, binary.get("userProperties").size());
    }

    @Test
    void bearerTokenIsSent() throws Exception {
        bridge.publish("auth/bearer", "x").get(10, TimeUnit.SECONDS);
        assertEquals("Bearer " + TOKEN, only("bearer").header("Authorization"));
    }

    @Test
    void basicCredentialsAreSent() throws Exception {
        bridge.publish("auth/basic", "x").get(10, TimeUnit.SECONDS);
        String expected = Base64.getEncoder().encodeToString(("tributary:" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("Basic " + expected, only("basic").header("Authorization"));
    }

    @Test
    void aMissingHeaderValueIsDeadLetteredWithoutARequest() throws Exception {
        int before = server.requests("/raw").size();
        WebhookBridge.awaitRefused(bridge.publish(new Message("sites/s2/alarms", new byte[] {1}, QoS.AT_LEAST_ONCE,
                false, MessageProperties.NONE, "d2", RECEIVED_AT)));
        Message dead = deadLetter("dead/raw");
        assertTrue(property(dead, "tributary-error").contains("MappingException"), property(dead, "tributary-error"));
        assertTrue(property(dead, "tributary-error").contains("{header.tenant}"), property(dead, "tributary-error"));
        assertEquals(before, server.requests("/raw").size());
    }

    @Test
    void aHeaderValueThatIsNotAsciiIsDeadLetteredWithoutARequest() throws Exception {
        int before = server.requests("/raw").size();
        WebhookBridge.awaitRefused(bridge.publish(new Message("sites/Zürich/alarms", new byte[] {1},
                QoS.AT_LEAST_ONCE, false,
                new MessageProperties(false, null, null, null, null, List.of(new UserProperty("tenant", "t"))), "d3",
                RECEIVED_AT)));
        assertEquals("MappingException: the webhook header X-Site rendered for the message is not printable ASCII "
                + "(character 2)", property(deadLetter("dead/raw"), "tributary-error"));
        assertEquals(before, server.requests("/raw").size());
    }

    @Test
    void credentialsAppearInNoLogAndNoDeadLetter() throws Exception {
        bridge.publish("auth/refused", "x").get(10, TimeUnit.SECONDS);
        Message dead = deadLetter("dead/refused");
        String error = property(dead, "tributary-error");
        assertEquals("WebhookDeliveryException: webhook POST 127.0.0.1:" + port() + " answered 500 Internal Server "
                + "Error", error);
        assertEquals(2, server.requests("/refused").size());
        assertEquals("Bearer " + TOKEN, server.requests("/refused").get(0).header("Authorization"));

        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(logs.list)) {
            lines.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        assertTrue(lines.stream().anyMatch(line -> line.contains("answered 500")), "the retry was logged: " + lines);
        for (String line : lines) {
            assertFalse(line.contains(TOKEN) || line.contains(PASSWORD), "a secret in the log: " + line);
            assertFalse(line.contains(Base64.getEncoder().encodeToString(("tributary:" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8))), "basic credentials in the log: " + line);
        }
        dead.properties().userProperties().forEach(p -> assertFalse(p.value().contains(TOKEN), p.toString()));
    }

    private static int port() {
        return Integer.parseInt(server.url("").substring("http://127.0.0.1:".length()));
    }

    private static WebhookServer.Request only(String scenario) throws InterruptedException {
        awaitRequests(scenario, 1);
        List<WebhookServer.Request> requests = server.requests("/" + scenario);
        return requests.get(0);
    }

    /** The scenario's first request to {@code path}, waiting for it a while. */
    private static WebhookServer.Request request(String scenario, String path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Optional<WebhookServer.Request> found = server.requests("/" + scenario).stream()
                    .filter(r -> r.path().equals(path)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no request to " + path + ": " + server.requests("/" + scenario));
    }

    private static void awaitRequests(String scenario, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.requests("/" + scenario).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count + " requests to " + scenario + " expected, got "
                        + server.requests("/" + scenario).size());
            }
            Thread.sleep(10);
        }
    }

    private static Message deadLetter(String topic) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (Message message : List.copyOf(bridge.deadLetters)) {
                if (message.topic().equals(topic) && bridge.deadLetters.remove(message)) {
                    return message;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no dead letter on " + topic);
    }

    private static String property(Message message, String name) {
        return message.properties().userProperties().stream().filter(p -> p.name().equals(name))
                .map(UserProperty::value).findFirst().orElse(null);
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<Byte> bytes(byte[] bytes) {
        List<Byte> list = new ArrayList<>();
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }
}
