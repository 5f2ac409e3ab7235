package io.tributary.routes.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.http.WebhookServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

class WebhookApiTest {

    record Received(String method, String path, String contentType, String body) {
    }

    @TempDir
    Path data;
    ApiFixture fixture;
    WebhookServer target;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        target = WebhookServer.start();
        target.script("/", (request, index) -> {
            received.add(new Received(request.method(), request.path(), request.header("Content-Type"),
                    request.bodyText()));
            return WebhookServer.Answer.status(204);
        });
        fixture = ApiFixture.start(data);
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        if (target != null) {
            target.close();
        }
    }

    String targetUrl(String path) {
        return target.url(path);
    }

    HttpResponse<String> register(String name, String filter, String url, String extra) throws Exception {
        return fixture.post("/api/v1/webhooks", "{\"name\":\"" + name + "\",\"filter\":\"" + filter + "\",\"url\":\""
                + url + "\"" + extra + "}");
    }

    void publish(String topic, String payload) throws Exception {
        HttpResponse<String> response = fixture.post("/api/v1/publish",
                "{\"topic\":\"" + topic + "\",\"qos\":1,\"payload\":\"" + payload + "\"}");
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void registeredWebhookGetsMessagesUntilDeleted() throws Exception {
        HttpResponse<String> created = register("alarms", "alarms/{site}/#", targetUrl("/hooks/{site}"), "");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode webhook = HttpApiTest.json(created);
        assertEquals("alarms", webhook.get("name").asText());
        assertEquals("POST", webhook.get("method").asText());
        assertEquals("envelope", webhook.get("format").asText());

        publish("alarms/s1/fire", "smoke");
        Received request = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(request, "the webhook got nothing");
        assertEquals("POST", request.method());
        assertEquals("/hooks/s1", request.path());
        JsonNode envelope = ApiJson.MAPPER.readTree(request.body());
        assertEquals("alarms/s1/fire", envelope.get("topic").asText());
        assertEquals("smoke", envelope.get("payload").asText());

        HttpResponse<String> list = fixture.get("/api/v1/webhooks");
        assertEquals(200, list.statusCode());
        JsonNode webhooks = HttpApiTest.json(list).get("webhooks");
        assertEquals(1, webhooks.size());
        assertEquals("alarms/{site}/#", webhooks.get(0).get("filter").asText());

        HttpResponse<String> deleted = fixture.delete("/api/v1/webhooks/alarms");
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals("alarms", HttpApiTest.json(deleted).get("deleted").asText());
        publish("alarms/s1/fire", "again");
        assertNull(received.poll(1500, TimeUnit.MILLISECONDS), "a deleted webhook still gets messages");
        assertEquals(0, HttpApiTest.json(fixture.get("/api/v1/webhooks")).get("webhooks").size());
        assertEquals(404, fixture.delete("/api/v1/webhooks/alarms").statusCode());
    }

    @Test
    void aFailingWebhookIsLoggedByItsNameWithoutCamelIds() throws Exception {
        target.script("/gone", (request, index) -> WebhookServer.Answer.status(404));
        List<ILoggingEvent> lines = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                lines.add(event);
            }
        };
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        try {
            assertEquals(201, register("alerts", "alerts/#", targetUrl("/gone"), "").statusCode());
            publish("alerts/1", "smoke");
            String expected = "webhook alerts: not delivered, the message is dropped: webhook POST 127.0.0.1:"
                    + target.port() + " answered 404 Not Found";
            Await.until(Duration.ofSeconds(20), "the failure logged",
                    () -> lines.stream().anyMatch(e -> e.getFormattedMessage().equals(expected)));
        } finally {
            root.detachAppender(appender);
        }
        for (ILoggingEvent event : lines) {
            String line = event.getFormattedMessage();
            if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                assertFalse(line.contains("ExchangeId") || line.contains("Exchange[")
                        || line.contains("tributary-api-webhook-"), line);
            }
        }
    }

    @Test
    void rawFormatAndMethodAreUsed() throws Exception {
        HttpResponse<String> created = register("raw", "raw/+", targetUrl("/raw"),
                ",\"method\":\"put\",\"format\":\"raw\"");
        assertEquals(201, created.statusCode(), created.body());
        publish("raw/1", "plain");
        Received request = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(request);
        assertEquals("PUT", request.method());
        assertEquals("plain", request.body());
    }

    @Test
    void registrationsSurviveARestartOfTheApi() throws Exception {
        assertEquals(201, register("kept", "kept/#", targetUrl("/kept"), "").statusCode());
        assertEquals(201, register("gone", "gone/#", targetUrl("/gone"), "").statusCode());
        assertEquals(200, fixture.delete("/api/v1/webhooks/gone").statusCode());
        Path file = data.resolve(WebhookRegistry.FILE_NAME);
        assertTrue(Files.exists(file));
        JsonNode stored = ApiJson.MAPPER.readTree(file.toFile());
        assertEquals(1, stored.get("webhooks").size());
        try (var files = Files.list(data)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temporary file was left");
        }

        fixture.restartApi();

        JsonNode webhooks = HttpApiTest.json(fixture.get("/api/v1/webhooks")).get("webhooks");
        assertEquals(1, webhooks.size());
        assertEquals("kept", webhooks.get(0).get("name").asText());
        publish("kept/x", "still here");
        Received request = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(request, "the restored webhook got nothing");
        assertEquals("/kept", request.path());
        assertEquals(409, register("kept", "kept/#", targetUrl("/kept"), "").statusCode());
    }

    @Test
    void byDefaultAWebhookMayNotReachLoopbackLinkLocalOrPrivateAddresses() throws Exception {
        fixture.close();
        fixture = ApiFixture.startPublicOnly(data);
        for (String url : new String[] {targetUrl("/hooks"), "http://localhost:9/x", "http://10.1.2.3/x",
                "http://169.254.169.254/latest/meta-data", "http://[::1]:8080/x", "http://[fd00::1]/x",
                "http://100.64.0.1/x"}) {
            HttpResponse<String> refused = register("inside", "alarms/#", url, "");
            assertEquals(400, refused.statusCode(), url + ": " + refused.body());
            assertTrue(refused.body().contains("allow-private-webhook-targets"), refused.body());
        }
        // A public address is taken; nothing is sent to it since no message is published.
        HttpResponse<String> created = register("outside", "alarms/#", "https://93.184.216.34/hooks", "");
        assertEquals(201, created.statusCode(), created.body());
    }

    @Test
    void aVariableInTheHostOrPortIs400() throws Exception {
        for (String url : new String[] {"http://{site}.example.com/x", "http://example.com:{port}/x"}) {
            HttpResponse<String> refused = register("moving", "alarms/{site}/{port}", url, "");
            assertEquals(400, refused.statusCode(), url + ": " + refused.body());
            assertTrue(refused.body().contains("host or port"), refused.body());
        }
    }

    @Test
    void duplicateNameIs409() throws Exception {
        assertEquals(201, register("twice", "t/#", targetUrl("/t"), "").statusCode());
        HttpResponse<String> again = register("twice", "other/#", targetUrl("/o"), "");
        assertEquals(409, again.statusCode());
        assertTrue(HttpApiTest.error(again).contains("exists already"), again.body());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "bad name | {\"name\":\"a b\",\"filter\":\"a/#\",\"url\":\"http://127.0.0.1:1/x\"} | 'name' must be",
            "no name | {\"filter\":\"a/#\",\"url\":\"http://127.0.0.1:1/x\"} | 'name' is required",
            "no filter | {\"name\":\"n\",\"url\":\"http://127.0.0.1:1/x\"} | 'filter' is required",
            "bad filter | {\"name\":\"n\",\"filter\":\"a/#/b\",\"url\":\"http://127.0.0.1:1/x\"} | "
                    + "'filter' is not valid",
            "no url | {\"name\":\"n\",\"filter\":\"a/#\"} | 'url' is required",
            "not http | {\"name\":\"n\",\"filter\":\"a/#\",\"url\":\"ftp://host/x\"} | 'url' must start with http",
            "no host | {\"name\":\"n\",\"filter\":\"a/#\",\"url\":\"http:///x\"} | 'url' has no host",
            "unknown variable | {\"name\":\"n\",\"filter\":\"a/{site}\",\"url\":\"http://h/{device}\"} | "
                    + "unknown variable(s) device",
            "bad method | {\"name\":\"n\",\"filter\":\"a/#\",\"url\":\"http://h/x\",\"method\":\"GET\"} | "
                    + "'method' must be POST, PUT or PATCH",
            "bad format | {\"name\":\"n\",\"filter\":\"a/#\",\"url\":\"http://h/x\",\"format\":\"xml\"} | "
                    + "'format' must be envelope or raw",
            "unknown field | {\"name\":\"n\",\"filter\":\"a/#\",\"url\":\"http://h/x\",\"auth\":\"x\"} | "
                    + "unknown field(s) auth",
    })
    void invalidRegistrationIs400SayingWhatIsWrong(String name, String body, String expected) throws Exception {
        HttpResponse<String> response = fixture.post("/api/v1/webhooks", body);
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(HttpApiTest.error(response).contains(expected), name + ": " + response.body());
        assertEquals(0, HttpApiTest.json(fixture.get("/api/v1/webhooks")).get("webhooks").size());
    }
}
