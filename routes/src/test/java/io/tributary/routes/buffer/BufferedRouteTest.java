package io.tributary.routes.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.AckMode;
import io.tributary.bridge.config.BufferSettings;
import io.tributary.bridge.config.ConnectionSettings;
import io.tributary.bridge.config.RetrySettings;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.RouteSource;
import io.tributary.bridge.config.SourceLocation;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.bridge.mapping.Template;
import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.PublishRejectedException;
import io.tributary.broker.QoS;
import io.tributary.routes.TributaryBridge;
import io.tributary.routes.metrics.Readiness;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.http.WebhookServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route with {@code ack: buffer} in front of a webhook that is down: publishers are acknowledged once their
 * message is on disk, and the messages reach the webhook once it is back, in each publisher's order, also after
 * the routes were restarted; a full buffer holds or refuses.
 */
class BufferedRouteTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final SourceLocation HERE = new SourceLocation("test.yaml", 1, 1);

    @TempDir
    Path data;

    private WebhookServer webhook;
    private final AtomicBoolean down = new AtomicBoolean(true);
    private Broker broker;
    private TributaryBridge bridge;

    @BeforeEach
    void start() {
        webhook = WebhookServer.start();
        webhook.script("/in", (request, index) -> WebhookServer.Answer.status(down.get() ? 503 : 200));
        broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).build()).build();
        broker.start().join();
    }

    @AfterEach
    void stop() {
        try {
            if (bridge != null) {
                bridge.close();
            }
            broker.close();
        } finally {
            webhook.close();
        }
    }

    @Test
    void publishersAreAcknowledgedWhileTheSinkIsDownAndEveryMessageArrivesInOrderOnceItIsBack() {
        startBridge(BufferSettings.defaults());
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            for (String publisher : List.of("a", "b", "c")) {
                acks.add(publish(publisher, i));
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
                .join();
        assertTrue(delivered().isEmpty(), "nothing was delivered while the webhook was down");
        assertEquals(120.0, gauge("tributary_route_buffer_messages"));

        down.set(false);
        Await.until(WAIT, "120 messages delivered", () -> delivered().size() >= 120);

        Map<String, List<Integer>> byPublisher = byPublisher(delivered());
        for (String publisher : List.of("a", "b", "c")) {
            assertEquals(range(40), byPublisher.get(publisher), "publisher " + publisher + "'s messages in order");
        }
        Await.until(WAIT, "the buffer empties", () -> gauge("tributary_route_buffer_messages") == 0.0);
        assertEquals(120.0, counter("tributary_route_buffer_forwarded_total"));
    }

    @Test
    void aFullBufferHoldsTheAcknowledgementsUntilThereIsRoom() {
        startBridge(new BufferSettings(5, 1L << 20, Duration.ofHours(1), BufferSettings.WhenFull.HOLD, 80, 1));
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            acks.add(publish("a", i));
        }
        Await.until(WAIT, "5 acknowledged", () -> acks.stream().filter(CompletableFuture::isDone).count() == 5);
        Await.until(WAIT, "3 held", () -> gauge("tributary_route_buffer_held") == 3.0);
        assertTrue(acks.subList(0, 5).stream().allMatch(a -> a.isDone() && !a.isCompletedExceptionally()));
        assertFalse(acks.subList(5, 8).stream().anyMatch(CompletableFuture::isDone), "the last 3 wait for room");

        down.set(false);
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
                .join();
        Await.until(WAIT, "8 delivered", () -> delivered().size() >= 8);
        assertEquals(range(8), byPublisher(delivered()).get("a"));
    }

    @Test
    void aFullBufferThatRefusesAnswersQuotaExceeded() {
        startBridge(new BufferSettings(5, 1L << 20, Duration.ofHours(1), BufferSettings.WhenFull.REFUSE, 80, 1));
        for (int i = 0; i < 5; i++) {
            publish("a", i).orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        }

        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> publish("a", 5).orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join());

        PublishRejectedException rejection = assertInstanceOf(PublishRejectedException.class, root(refused));
        assertEquals(0x97, rejection.reasonCode());
        assertEquals(1.0, counter("tributary_route_buffer_refused_total"));
    }

    @Test
    void readinessReportsABufferOverItsThreshold() {
        startBridge(new BufferSettings(10, 1L << 20, Duration.ofHours(1), BufferSettings.WhenFull.HOLD, 50, 1));
        for (int i = 0; i < 4; i++) {
            publish("a", i).join();
        }
        assertFalse(bridge.readiness().check().checks().containsKey("buffer:buffered"));

        publish("a", 4).join();

        Readiness.Result result = bridge.readiness().check();
        assertFalse(result.up());
        assertEquals("down: buffer at 50% of max-messages (5 messages, " + (long) gauge("tributary_route_buffer_size_bytes")
                + " bytes)", result.checks().get("buffer:buffered"));
    }

    @Test
    void restartedRoutesForwardWhatTheBufferHeld() {
        startBridge(BufferSettings.defaults());
        for (int i = 0; i < 30; i++) {
            publish("a", i).join();
        }
        bridge.close();
        bridge = null;
        assertTrue(delivered().isEmpty());

        down.set(false);
        startBridge(BufferSettings.defaults());

        Await.until(WAIT, "30 delivered after the restart", () -> delivered().size() >= 30);
        assertEquals(range(30), byPublisher(delivered()).get("a"));
    }

    @Test
    void aRemovedRouteKeepsItsBufferAndForwardsItWhenItComesBack() {
        startBridge(BufferSettings.defaults());
        for (int i = 0; i < 10; i++) {
            publish("a", i).join();
        }

        bridge.reloadRoutes(List.of());
        assertEquals(10.0, gauge("tributary_route_buffer_messages"), "the messages stay after the route is removed");
        down.set(false);
        bridge.reloadRoutes(List.of(route(BufferSettings.defaults())));

        Await.until(WAIT, "10 delivered once the route is back", () -> delivered().size() >= 10);
        assertEquals(range(10), byPublisher(delivered()).get("a"));
    }

    private void startBridge(BufferSettings buffer) {
        TributaryConfig config = new TributaryConfig(BrokerConfig.builder().build(), data, ConnectionSettings.none(),
                List.of(route(buffer)), List.of());
        bridge = TributaryBridge.start(config, broker);
    }

    private RouteSettings route(BufferSettings buffer) {
        return new RouteSettings("buffered", new RouteSource.Mqtt(TopicPattern.parse("in/{device}")),
                new RouteSink.Http(Template.parse(webhook.url("/in")), "POST", RouteSink.WebhookFormat.RAW,
                        Duration.ofSeconds(2), 4, Map.of(), Optional.empty()),
                Optional.empty(), new RetrySettings(2, Duration.ofMillis(50), 2.0, Duration.ofMillis(200)),
                Optional.empty(), HERE, AckMode.BUFFER, buffer);
    }

    private CompletableFuture<Void> publish(String publisher, int number) {
        byte[] payload = (publisher + ":" + number).getBytes(StandardCharsets.UTF_8);
        return broker.publish(new Message("in/" + publisher, payload, QoS.AT_LEAST_ONCE, false,
                MessageProperties.NONE, publisher, System.currentTimeMillis()));
    }

    /** The bodies the webhook answered 200, in the order it answered them. */
    private List<String> delivered() {
        return webhook.answered("/in").stream().filter(a -> a.status() == 200).map(a -> a.request().bodyText())
                .toList();
    }

    private static Map<String, List<Integer>> byPublisher(List<String> bodies) {
        Map<String, List<Integer>> byPublisher = new LinkedHashMap<>();
        for (String body : bodies) {
            String[] parts = body.split(":");
            byPublisher.computeIfAbsent(parts[0], p -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        return byPublisher;
    }

    private static List<Integer> range(int count) {
        return java.util.stream.IntStream.range(0, count).boxed().toList();
    }

    private double gauge(String name) {
        return sample(name);
    }

    private double counter(String name) {
        return sample(name);
    }

    private double sample(String name) {
        String text = bridge.metrics().scrape();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") && line.contains("route=\"buffered\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError(name + " not in the metrics:\n" + text);
    }

    private static Throwable root(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
