package io.tributary.routes.api.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.camel.TributaryComponent;
import io.tributary.bridge.config.HttpApiSettings;
import io.tributary.bridge.config.Secret;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.BrokerStats;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.routes.api.HttpApi;
import io.tributary.routes.http.WebhookSinks;
import io.vertx.ext.web.Router;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console on the real HTTP API (real broker, real bearer authentication, real event stream), opened in
 * headless Chromium. The page is mounted as the API will mount it: on the API's router, before its
 * authentication handler (here from a registry hook, as the main API files are not changed by this test).
 * {@code GET /metrics} is a stand-in with {@code tributary_} series built from the broker's live stats,
 * until the API serves its own.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsolePageTest {

    private static final String TOKEN = "console-test-token";
    private static final String TOKEN_VARIABLE = "TRIBUTARY_CONSOLE_TEST_TOKEN";
    private static final Duration CHROMIUM_TIMEOUT = Duration.ofSeconds(25);

    @TempDir
    Path data;

    private Broker broker;
    private DefaultCamelContext context;
    private WebhookSinks sinks;
    private HttpApi api;
    private final AtomicInteger published = new AtomicInteger();
    private final AtomicInteger scrapes = new AtomicInteger();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() {
        Map<String, String> environment = Map.of(TOKEN_VARIABLE, TOKEN);
        broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).build()).build();
        broker.start().join();
        context = new DefaultCamelContext(new DefaultRegistry() {
            @Override
            public void bind(String id, Class<?> type, Object bean) {
                super.bind(id, type, bean);
                if (bean instanceof VertxPlatformHttpRouter router) {
                    // Bound when the API's server starts, before the API adds its own handlers: the stand-in
                    // metrics below give the page route states the real meters do not have.
                    mountStandInMetrics(router);
                }
            }
        });
        context.disableJMX();
        context.addComponent(TributaryComponent.SCHEME, new TributaryComponent(broker));
        context.start();
        sinks = new WebhookSinks(environment);
        api = HttpApi.start(new HttpApiSettings("127.0.0.1", 0, List.of(Secret.fromEnvironment(TOKEN_VARIABLE))),
                context, broker, sinks, data, environment);
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        if (context != null) {
            context.stop();
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

        HttpResponse<String> script = get("/console/console.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertEquals(200, get("/console/console.css").statusCode());
        assertEquals(404, get("/console/secret.txt").statusCode());
        HttpResponse<String> slash = get("/console/");
        assertEquals(301, slash.statusCode());
        assertEquals("/console", slash.headers().firstValue("Location").orElse(""));

        assertEquals(401, get("/api/v1/stream?filter=%23").statusCode(), "the API itself still wants the token");
    }

    @Test
    void showsConnectionsRoutesDeadLettersAndLiveMessagesInChromium() throws Exception {
        String chromium = chromium();
        try (Socket mqtt = mqttConnect(broker.boundPort("tcp"), "console-test-client")) {
            awaitConnections(1);
            AtomicBoolean publishing = new AtomicBoolean(true);
            Thread publisher = new Thread(() -> publishUntilStopped(publishing), "console-test-publisher");
            publisher.setDaemon(true);
            publisher.start();
            try {
                String url = base() + "/console#token=" + TOKEN + "&filter=sites/%2B/telemetry";
                String dom = runChromium(chromium, List.of("--virtual-time-budget=8000", "--dump-dom", url));

                assertTrue(Pattern.compile("id=\"connections\"[^>]*>1<").matcher(dom).find(),
                        "the connection count is shown: " + excerpt(dom, "connections"));
                assertTrue(Pattern.compile("<tr class=\"message\"><td class=\"time\">[^<]+</td>"
                        + "<td class=\"topic\">sites/s\\d/telemetry</td><td class=\"num qos\">\\d</td>"
                        + "<td class=\"payload\">reading-\\d+</td></tr>").matcher(dom).find(),
                        "the topic browser shows the published messages: " + excerpt(dom, "messages"));
                assertFalse(dom.contains("sites/s1/alarms"), "messages outside the filter are not shown");
                assertTrue(dom.contains("following sites/+/telemetry"), excerpt(dom, "stream-status"));
                assertTrue(dom.contains("<tr data-route=\"sites-to-kafka\"><td class=\"route\">sites-to-kafka</td>"
                        + "<td class=\"state state-active\">active</td>"), "a route whose counters move is active: "
                        + excerpt(dom, "routes"));
                assertTrue(dom.contains("<tr data-route=\"alarms-webhook\"><td class=\"route\">alarms-webhook</td>"
                        + "<td class=\"state state-stopped\">stopped</td>"), "a state the metrics give: "
                        + excerpt(dom, "routes"));
                assertFalse(dom.contains("jvm_threads"), "only tributary_ series are shown");
                assertFalse(dom.contains("bucket"), "histogram buckets are not shown");
                assertTrue(dom.contains("<li class=\"dead\" data-route=\"sites-to-kafka\">sites-to-kafka: 2 "
                        + "dead-lettered"), excerpt(dom, "dead-letters"));
                assertTrue(dom.contains("messages received"), "broker numbers are listed: " + excerpt(dom, "broker"));
                assertFalse(dom.contains("qos=\""), "the series by QoS make one card: " + excerpt(dom, "broker"));
                assertTrue(Pattern.compile("messages received</div><div class=\"value\">1,0\\d\\d,\\d\\d\\d")
                        .matcher(dom).find(), "the card shows the sum over QoS: " + excerpt(dom, "broker"));
                assertTrue(dom.contains("class=\"status ok\""), excerpt(dom, "status"));
                assertFalse(dom.contains(TOKEN), "the token is neither shown nor left in the page");

                Path png = Path.of("target", "console.png").toAbsolutePath();
                Files.deleteIfExists(png);
                runChromium(chromium, List.of("--virtual-time-budget=5000", "--window-size=1280,900",
                        "--screenshot=" + png, url));
                assertTrue(Files.isRegularFile(png), "the screenshot is written: " + png);
                long size = Files.size(png);
                assertTrue(size > 20_000, "the screenshot is not blank: " + size + " bytes");
                System.out.println("Console screenshot: " + png + " (" + size + " bytes)");
            } finally {
                publishing.set(false);
                publisher.join(5000);
            }
        }
    }

    @Test
    void showsTokenRefusedForAWrongToken() throws Exception {
        String chromium = chromium();
        String dom = runChromium(chromium, List.of("--virtual-time-budget=4000", "--dump-dom",
                base() + "/console#token=not-the-token&filter=%23"));
        assertTrue(dom.contains("<div id=\"status\" class=\"status bad\" role=\"status\">token refused</div>"),
                excerpt(dom, "status"));
        assertTrue(dom.contains("token refused</span>"), "the topic browser says so too: "
                + excerpt(dom, "stream-status"));
    }

    // ---- the stand-in /metrics ----------------------------------------------------------------------------

    private void mountStandInMetrics(Router router) {
        router.get("/metrics").order(Integer.MIN_VALUE).handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metricsText()));
    }

    /** Series named as the API's Micrometer registry names them, from the broker's live stats. */
    private String metricsText() {
        BrokerStats stats = broker.stats();
        // Moves on every scrape, so the page sees the route active whatever the timing of its polls.
        int in = published.get() + scrapes.incrementAndGet();
        return """
                # HELP tributary_broker_connections Clients connected now.
                # TYPE tributary_broker_connections gauge
                tributary_broker_connections %d
                # TYPE tributary_broker_messages_received_total counter
                tributary_broker_messages_received_total{qos="0"} 1000000
                tributary_broker_messages_received_total{qos="1"} %d
                tributary_broker_messages_received_total{qos="2"} 0
                # TYPE tributary_broker_messages_sent_total counter
                tributary_broker_messages_sent_total{qos="0"} 0
                tributary_broker_messages_sent_total{qos="1"} %d
                tributary_broker_messages_sent_total{qos="2"} 0
                # TYPE tributary_broker_messages_dropped_total counter
                tributary_broker_messages_dropped_total{reason="qos0"} 0
                tributary_broker_messages_dropped_total{reason="queue_full"} 0
                # TYPE tributary_route_messages_in_total counter
                tributary_route_messages_in_total{route="sites-to-kafka"} %d
                tributary_route_messages_in_total{route="alarms-webhook"} 0
                # TYPE tributary_route_messages_failed_total counter
                tributary_route_messages_failed_total{route="sites-to-kafka"} 3
                tributary_route_messages_failed_total{route="alarms-webhook"} 0
                # TYPE tributary_route_messages_dead_lettered_total counter
                tributary_route_messages_dead_lettered_total{route="sites-to-kafka"} 2
                tributary_route_messages_dead_lettered_total{route="alarms-webhook"} 0
                # TYPE tributary_route_latency_seconds histogram
                tributary_route_latency_seconds_bucket{route="sites-to-kafka",le="0.001"} 10
                tributary_route_latency_seconds_bucket{route="sites-to-kafka",le="+Inf"} 12
                tributary_route_latency_seconds_count{route="sites-to-kafka"} 12
                tributary_route_latency_seconds_sum{route="sites-to-kafka"} 0.024
                # TYPE tributary_route_up gauge
                tributary_route_up{route="sites-to-kafka"} 1
                tributary_route_up{route="alarms-webhook"} 0
                # TYPE jvm_threads_live_threads gauge
                jvm_threads_live_threads 42
                """.formatted(stats.connections(), stats.messagesReceived(), stats.messagesSent(), in);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private void publishUntilStopped(AtomicBoolean publishing) {
        int i = 0;
        while (publishing.get()) {
            try {
                broker.publish(Message.of("sites/s" + (i % 3) + "/telemetry", "reading-" + i, QoS.AT_LEAST_ONCE,
                        false)).get(5, TimeUnit.SECONDS);
                broker.publish(Message.of("sites/s1/alarms", "alarm-" + i, QoS.AT_MOST_ONCE, false))
                        .get(5, TimeUnit.SECONDS);
                published.incrementAndGet();
                i++;
                Thread.sleep(30);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // The broker is stopping.
                return;
            }
        }
    }

    /** An MQTT 3.1.1 CONNECT on a plain socket; returns once the broker accepted it. */
    private static Socket mqttConnect(int port, String clientId) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        int remaining = 10 + 2 + id.length;
        byte[] packet = new byte[2 + remaining];
        int i = 0;
        packet[i++] = 0x10;
        packet[i++] = (byte) remaining;
        for (byte b : new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60}) {
            packet[i++] = b;
        }
        packet[i++] = (byte) (id.length >> 8);
        packet[i++] = (byte) id.length;
        System.arraycopy(id, 0, packet, i, id.length);
        OutputStream out = socket.getOutputStream();
        out.write(packet);
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] connack = in.readNBytes(4);
        assertEquals(4, connack.length, "CONNACK");
        assertEquals(0x20, connack[0] & 0xff, "CONNACK");
        assertEquals(0, connack[3], "the broker accepted the connection");
        return socket;
    }

    private void awaitConnections(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (broker.stats().connections() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, broker.stats().connections());
    }

    private String base() {
        return "http://127.0.0.1:" + api.port();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The Chromium on the PATH; skips the test when there is none. */
    private static String chromium() {
        Optional<Path> found = findOnPath("chromium").or(() -> findOnPath("chromium-browser"));
        Assumptions.assumeTrue(found.isPresent(),
                "no chromium binary on the PATH: install it (Debian: apt-get install -y chromium) to run the "
                        + "console's browser tests");
        return found.get().toString();
    }

    private static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs headless Chromium with its own profile; returns its standard output (the DOM for --dump-dom). */
    private String runChromium(String chromium, List<String> arguments) throws Exception {
        Path profile = Files.createTempDirectory(data, "chromium-profile");
        Path stdout = data.resolve("chromium-" + System.nanoTime() + ".out");
        Path stderr = data.resolve("chromium-" + System.nanoTime() + ".err");
        List<String> command = new ArrayList<>(List.of(chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            boolean exited = process.waitFor(CHROMIUM_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(exited, "Chromium finished within " + CHROMIUM_TIMEOUT + "; its log: " + tail(stderr));
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), "Chromium's exit code; its log: " + tail(stderr));
            return out;
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String tail(Path file) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    }

    private static String excerpt(String dom, String id) {
        int at = dom.indexOf("id=\"" + id + "\"");
        if (at < 0) {
            return dom.length() > 3000 ? dom.substring(0, 3000) : dom;
        }
        return dom.substring(Math.max(0, at - 100), Math.min(dom.length(), at + 1500));
    }
}
