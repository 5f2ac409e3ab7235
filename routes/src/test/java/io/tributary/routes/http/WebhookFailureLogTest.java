package io.tributary.routes.http;

import static io.tributary.routes.http.WebhookBridge.post;
import static io.tributary.routes.http.WebhookBridge.quickRetries;
import static io.tributary.routes.http.WebhookBridge.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.http.WebhookServer;
import io.tributary.testsupport.net.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What an operator reads when a route's webhook is down: WARN lines that name the route as configured (not its
 * Camel id after a reload), say why in one line, carry no Camel message or exchange ids and no stack trace, and
 * stay few however many messages fail.
 */
class WebhookFailureLogTest {

    @TempDir
    Path data;
    private final Lines lines = new Lines();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private int closedPort;

    @BeforeEach
    void capture() throws Exception {
        closedPort = FreePort.onLoopback();
        lines.start();
        root.addAppender(lines);
    }

    @AfterEach
    void release() {
        root.detachAppender(lines);
    }

    @Test
    void aFailingRouteIsNamedAsConfiguredInOneLineWithoutCamelIds() throws Exception {
        String url = "http://127.0.0.1:" + closedPort + "/alerts";
        RouteSettings first = route("hot-readings", "hot/a", post(url), quickRetries(2), false);
        try (WebhookBridge bridge = WebhookBridge.start(data, List.of(first), Map.of())) {
            // A reload that changes the route starts it as hot-readings~2 in Camel.
            RouteSettings changed = route("hot-readings", "hot/#", post(url), quickRetries(2), false);
            bridge.bridge().reloadRoutes(List.of(changed));
            assertTrue(bridge.bridge().camelContext().getRoute("hot-readings~2") != null,
                    "the reload should have given the route a new Camel id");

            CompletableFuture<Void> publish = bridge.publish("hot/1", "21.5");
            Await.until(Duration.ofSeconds(10), "the publish failed", publish::isDone);
            assertTrue(publish.isCompletedExceptionally());
            Await.until(Duration.ofSeconds(5), "the route's failure logged",
                    () -> lines.warnings().stream().anyMatch(line -> line.contains("not delivered")));
        }

        List<String> warnings = lines.warnings();
        assertEquals(List.of(
                "route hot-readings: webhook POST 127.0.0.1:" + closedPort + " refused the connection; retry 1 of 1",
                "route hot-readings: not delivered after 2 attempts, the publisher gets the failure: webhook POST "
                        + "127.0.0.1:" + closedPort + " refused the connection"), warnings);
        for (ILoggingEvent event : lines.events) {
            String line = event.getFormattedMessage();
            assertFalse(line.contains("ExchangeId") || line.contains("MessageId") || line.contains("Exchange["),
                    line);
            if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                // Camel's own INFO lines on starting and stopping routes use its ids; the app's logback.xml
                // keeps them out (TributaryBridge and the reload log the routes by name).
                assertFalse(line.contains("hot-readings~"), "the Camel id leaked: " + line);
                assertEquals(null, event.getThrowableProxy(), "a stack trace at WARN: " + line);
            }
        }
    }

    @Test
    void aHundredFailuresInABurstWriteAFewLines() throws Exception {
        String url = "http://127.0.0.1:" + closedPort + "/alerts";
        List<CompletableFuture<Void>> published = new ArrayList<>();
        try (WebhookBridge bridge = WebhookBridge.start(data,
                List.of(route("burst", "burst/#", post(url), quickRetries(2), false)), Map.of())) {
            for (int i = 0; i < 100; i++) {
                published.add(bridge.publish("burst/" + i, "x"));
            }
            Await.until(Duration.ofSeconds(30), "every publish failed",
                    () -> published.stream().allMatch(CompletableFuture::isDone));
        }

        assertTrue(published.stream().allMatch(CompletableFuture::isCompletedExceptionally));
        List<String> warnings = lines.warnings();
        // One line per reason (retrying, given up) within the 10 s interval: the other 99 of each are counted.
        assertEquals(2, warnings.size(), lines.describeWarnings());
        assertTrue(warnings.stream().allMatch(line -> line.startsWith("route burst: ")), String.join("\n", warnings));
    }

    @Test
    void aRefusedRequestIsLoggedOnceWithoutRetries() throws Exception {
        try (WebhookServer server = WebhookServer.start()) {
            server.script("/gone", (request, index) -> WebhookServer.Answer.status(404));
            try (WebhookBridge bridge = WebhookBridge.start(data,
                    List.of(route("gone", "gone", post(server.url("/gone")), quickRetries(3), false)), Map.of())) {
                CompletableFuture<Void> publish = bridge.publish("gone", "x");
                Await.until(Duration.ofSeconds(10), "the publish failed", publish::isDone);
                Await.until(Duration.ofSeconds(5), "the route's failure logged", () -> !lines.warnings().isEmpty());
            }
            // One line, whoever writes it (this one, or a dead letter's), naming the route, with no Camel ids.
            List<String> warnings = lines.warnings();
            assertEquals(1, warnings.size(), String.join("\n", warnings));
            assertTrue(warnings.get(0).matches("(?i)route gone: .*webhook POST 127\\.0\\.0\\.1:" + server.port()
                    + ".* 404 Not Found.*"), warnings.get(0));
            assertFalse(warnings.get(0).contains("ExchangeId") || warnings.get(0).contains("MessageId"));
        }
    }

    /** The lines of every logger, as formatted, from every thread. */
    private static final class Lines extends AppenderBase<ILoggingEvent> {
        final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }

        /** The warnings with their logger and thread, for a failure message. */
        String describeWarnings() {
            return events.stream()
                    .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(event -> event.getLevel() + " " + event.getLoggerName() + " [" + event.getThreadName() + "] "
                            + event.getFormattedMessage())
                    .collect(java.util.stream.Collectors.joining("\n"));
        }

        List<String> warnings() {
            return events.stream()
                    .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                    .filter(event -> !event.getLoggerName().startsWith("org.apache.kafka"))
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }
}
