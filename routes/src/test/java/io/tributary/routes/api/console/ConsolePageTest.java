package io.tributary.routes.api.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.bridge.camel.TributaryComponent;
import io.tributary.bridge.config.HttpApiSettings;
import io.tributary.bridge.config.Secret;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.routes.api.HttpApi;
import io.tributary.routes.http.WebhookSinks;
import io.tributary.routes.metrics.Monitoring;
import io.tributary.routes.metrics.Readiness;
import io.tributary.routes.metrics.RouteMeters;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console on the real HTTP API, as the bridge wires it (real broker, real Camel routes counted by
 * {@link RouteMeters} into the registry served at {@code /metrics}, real bearer authentication, real event
 * stream), opened in headless Chromium driven over the DevTools protocol: the test reads the page's DOM and
 * presses its buttons as an operator would.
 *
 * <p>With {@code -Dtributary.docs.write=true} it writes its screenshots into {@code docs/} (the images of
 * {@code docs/console.md}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsolePageTest {

    private static final String TOKEN = "console-test-token";
    private static final String TOKEN_VARIABLE = "TRIBUTARY_CONSOLE_TEST_TOKEN";
    private static final Path DOCS = Path.of("..", "docs");

    @TempDir
    Path data;

    private Broker broker;
    private DefaultCamelContext context;
    private PrometheusMeterRegistry registry;
    private Readiness readiness;
    private WebhookSinks sinks;
    private HttpApi api;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() throws Exception {
        Map<String, String> environment = Map.of(TOKEN_VARIABLE, TOKEN);
        broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).build()).build();
        broker.start().join();
        registry = Monitoring.newRegistry(broker);
        context = new DefaultCamelContext();
        context.disableJMX();
        context.addComponent(TributaryComponent.SCHEME, new TributaryComponent(broker));
        context.getManagementStrategy().addEventNotifier(new RouteMeters(registry,
                Set.copyOf(HttpApi.REQUEST_ROUTE_IDS)));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("tributary:sites/+/telemetry").routeId("sites-to-kafka").process(exchange -> {
                });
                from("tributary:orders/#").routeId("orders-to-erp").process(exchange -> {
                    throw new IllegalStateException("the ERP answered 503 Service Unavailable");
                });
                from("tributary:alarms/#").routeId("alarms-webhook")
                        .errorHandler(deadLetterChannel("direct:alarms-dead"))
                        .process(exchange -> {
                            throw new IllegalStateException("connection refused: alarms.example:443");
                        });
                from("direct:alarms-dead").routeId("alarms-dead-letters").process(exchange -> {
                });
            }
        });
        context.start();
        readiness = new Readiness(broker, context, Map.of(), Map::of);
        sinks = new WebhookSinks(environment);
        api = HttpApi.start(new HttpApiSettings("127.0.0.1", 0, List.of(Secret.fromEnvironment(TOKEN_VARIABLE))),
                context, broker, sinks, data, environment, new Monitoring(registry, readiness));
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        if (context != null) {
            context.stop();
        }
        if (readiness != null) {
            readiness.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (sinks != null) {
            sinks.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void servesThePageWithoutATokenWhileTheApiStillWantsOne() throws Exception {
        HttpResponse<String> page = get("/console");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("connect-src 'self'"));
        assertTrue(page.body().contains("<title>Tributary console</title>"), page.body());
        assertFalse(page.body().contains("style=") || page.body().contains("<script>"),
                "nothing inline, as the CSP wants");

        HttpResponse<String> script = get("/console/console.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertFalse(script.body().contains("innerHTML"), "messages are written as text, never as HTML");
        assertEquals(200, get("/console/console.css").statusCode());
        assertEquals(404, get("/console/secret.txt").statusCode());
        HttpResponse<String> slash = get("/console/");
        assertEquals(301, slash.statusCode());
        assertEquals("/console", slash.headers().firstValue("Location").orElse(""));
        HttpResponse<String> root = get("/");
        assertEquals(302, root.statusCode(), "the API's address leads to the console");
        assertEquals("/console", root.headers().firstValue("Location").orElse(""));

        assertEquals(401, get("/api/v1/stream?filter=%23").statusCode(), "the API itself still wants the token");
    }

    @Test
    void showsBrokerRoutesClientsRetainedAndLiveMessagesAndDisconnectsAClient() throws Exception {
        CompletableFuture<Throwable> kicked = new CompletableFuture<>();
        Mqtt5BlockingClient meter = MqttClient.builder().useMqttVersion5().identifier("meter-7")
                .serverHost("127.0.0.1").serverPort(broker.boundPort("tcp"))
                .addDisconnectedListener(ctx -> {
                    if (ctx.getSource() == MqttDisconnectSource.SERVER) {
                        kicked.complete(ctx.getCause());
                    }
                })
                .buildBlocking();
        meter.connect();
        meter.subscribeWith().topicFilter("sites/s1/commands").qos(MqttQos.AT_LEAST_ONCE).send();
        broker.publish(Message.of("config/site-1", "{\"interval\": 5}", QoS.AT_LEAST_ONCE, true)).join();
        broker.publish(Message.of("orders/1", "{}", QoS.AT_MOST_ONCE, false)).handle((ok, e) -> null).join();
        broker.publish(Message.of("alarms/a1", "fire", QoS.AT_MOST_ONCE, false)).handle((ok, e) -> null).join();

        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread publisher = new Thread(() -> publishUntilStopped(publishing), "console-test-publisher");
        publisher.setDaemon(true);
        publisher.start();
        try (HeadlessChromium chromium = HeadlessChromium.start(data)) {
            chromium.open(base() + "/console#token=" + TOKEN + "&filter=sites/%2B/telemetry");

            chromium.awaitText("#status", "^connected$");
            assertEquals("", chromium.eval("location.hash.indexOf('token') >= 0 ? location.hash : ''"),
                    "the token is taken out of the address bar");
            // Broker tiles: human labels, the value now and a chart of the last minutes.
            chromium.awaitText("#tile-connections .value", "^1$");
            assertEquals("Clients connected", chromium.text("#tile-connections .name"));
            chromium.awaitText("#tile-received .value", "^[0-9.,]+/s$");
            Map<String, String> chart = Map.of("points", "#tile-received svg.chart",
                    "line", "#tile-received svg.chart polyline");
            awaitTrue(chromium, "Number(document.querySelector('" + chart.get("points")
                    + "').getAttribute('data-points')) >= 2 && document.querySelector('" + chart.get("line")
                    + "') !== null", "the messages-in chart draws a line");
            assertTrue(chromium.text("#counters").contains("Dropped: offline queue full"),
                    chromium.text("#counters"));
            assertFalse(chromium.text("body").contains("reason=\""), "no raw label is shown");

            // Routes: the failing route's last error with its time; the busy route's latency quantiles.
            String error = chromium.awaitText("tr[data-route='orders-to-erp'] td.last-error",
                    "the ERP answered 503 Service Unavailable");
            assertTrue(error.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*"), error);
            chromium.awaitText("tr[data-route='orders-to-erp'] td.failed", "^[1-9]");
            chromium.awaitText("tr[data-route='sites-to-kafka'] td.latency", "(µs|ms|s) / [0-9.]+ (µs|ms|s)$");
            assertEquals("started", chromium.text("tr[data-route='sites-to-kafka'] td.state"));
            assertEquals("none", chromium.text("tr[data-route='sites-to-kafka'] td.last-error"));
            chromium.awaitText("tr[data-route='alarms-webhook'] td.dead_lettered.bad", "^1$");
            assertTrue(chromium.text("tr[data-route='alarms-webhook'] td.last-error")
                    .contains("connection refused: alarms.example:443"), "a dead-lettered message's error too");
            assertEquals("", chromium.text("tr[data-route='alarms-dead-letters']"), "a dead-letter step is no route");

            // Clients, retained messages, live messages.
            chromium.awaitText("tr[data-client='meter-7'] td.protocol", "^MQTT 5\\.0$");
            assertEquals("1", chromium.text("tr[data-client='meter-7'] td.subscriptions"));
            assertTrue(chromium.text("tr[data-client='meter-7'] td.address").startsWith("127.0.0.1:"));
            // Not in a cluster: no Nodes panel and no node column.
            assertEquals("true", chromium.eval("String(document.getElementById('nodes-panel').hidden)"));
            assertEquals("true", chromium.eval("String(document.getElementById('clients-node-head').hidden)"));
            assertEquals("", chromium.text("tr[data-client='meter-7'] td.node"));
            chromium.awaitText("#retained tbody", "config/site-1");
            assertTrue(chromium.text("#retained tbody").contains("{\"interval\": 5}"));
            String messages = chromium.awaitText("#messages tbody", "sites/s\\d/telemetry");
            assertFalse(messages.contains("orders/"), "messages outside the filter are not shown");
            assertEquals("following sites/+/telemetry", chromium.text("#stream-status"));
            String time = chromium.text("#messages tbody td.time");
            assertTrue(time.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), "one time format: " + time);
            assertFalse(chromium.text("body").contains(TOKEN), "the token is not shown");

            if (Boolean.getBoolean("tributary.docs.write")) {
                // For the docs' picture, charts with something to see: 40 s of polls.
                awaitTrue(chromium, "Number(document.querySelector('" + chart.get("points")
                        + "').getAttribute('data-points')) >= 20", "the chart has 20 points", Duration.ofSeconds(60));
            }
            writeDocsImage("console.png", chromium.screenshot());

            // Disconnect: the first press arms the button, the second disconnects the real client.
            chromium.click("button.disconnect[data-client='meter-7']");
            assertEquals("Confirm disconnect", chromium.text("button.disconnect[data-client='meter-7']"));
            assertTrue(meter.getState().isConnected(), "one press does nothing yet");
            chromium.click("button.disconnect[data-client='meter-7']");
            Throwable cause = kicked.get(10, TimeUnit.SECONDS);
            assertEquals(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION,
                    ((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode());
            chromium.awaitText("#clients-status", "^disconnected meter-7 at ");
            awaitTrue(chromium, "document.querySelector(\"tr[data-client='meter-7']\") === null",
                    "the client's row goes");
        } finally {
            publishing.set(false);
            publisher.join(5000);
        }
    }

    @Test
    void showsTokenRefusedForAWrongTokenAlthoughMetricsNeedNone() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start(data)) {
            chromium.open(base() + "/console#token=not-the-token&filter=%23");
            chromium.awaitText("#status", "^token refused$");
            assertTrue(chromium.eval("document.getElementById('status').className").contains("bad"));
            chromium.awaitText("#stream-status", "^token refused$");
            assertEquals("", chromium.text("#clients tbody"), "no client is listed");
            writeDocsImage("console-token-refused.png", chromium.screenshot());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static void awaitTrue(HeadlessChromium chromium, String expression, String what) {
        awaitTrue(chromium, expression, what, Duration.ofSeconds(20));
    }

    private static void awaitTrue(HeadlessChromium chromium, String expression, String what, Duration timeout) {
        io.tributary.testsupport.await.Await.until(timeout, what, () -> {
            try {
                return chromium.eval(expression);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "true"::equals);
    }

    /** Checks the screenshot is a PNG with something on it; writes it into docs/ when asked to. */
    private static void writeDocsImage(String name, byte[] png) throws IOException {
        assertTrue(png.length > 20_000, "the screenshot is not blank: " + png.length + " bytes");
        assertEquals(0x89, png[0] & 0xff, "a PNG");
        if (Boolean.getBoolean("tributary.docs.write")) {
            Files.write(DOCS.resolve(name), png);
        }
    }

    private void publishUntilStopped(AtomicBoolean publishing) {
        int i = 0;
        while (publishing.get()) {
            try {
                broker.publish(Message.of("sites/s" + (i % 3) + "/telemetry", "reading-" + i, QoS.AT_LEAST_ONCE,
                        false)).get(5, TimeUnit.SECONDS);
                i++;
                // Pacing, varied so that the charts have a shape: about 20, 13 and 10 messages a second.
                Thread.sleep(50 + (i / 100 % 3) * 25L);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // The broker is stopping.
                return;
            }
        }
    }

    private String base() {
        return "http://127.0.0.1:" + api.port();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
