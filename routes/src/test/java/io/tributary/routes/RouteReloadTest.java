package io.tributary.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.ConnectionSettings;
import io.tributary.bridge.config.JdbcConnectionSettings;
import io.tributary.bridge.config.RetrySettings;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.RouteSink.ColumnType;
import io.tributary.bridge.config.RouteSource;
import io.tributary.bridge.config.SourceLocation;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.bridge.mapping.Condition;
import io.tributary.bridge.mapping.Template;
import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes replaced, added and removed in a running bridge, with the broker and its subscribers untouched. */
class RouteReloadTest {

    private static final SourceLocation HERE = new SourceLocation("test.yaml", 1, 1);
    private static final RetrySettings FAST_RETRY =
            new RetrySettings(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(50));

    @TempDir
    Path data;
    private Broker broker;
    private TributaryBridge bridge;
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private InProcessSubscription outputs;

    @BeforeEach
    void start() {
        broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).build()).build();
        broker.start().join();
        outputs = broker.subscribe("out/#", SubscribeOptions.of(QoS.AT_LEAST_ONCE), message -> {
            received.add(message.topic() + " " + new String(message.payload(), StandardCharsets.UTF_8));
            return null;
        });
    }

    @AfterEach
    void stop() {
        if (outputs != null) {
            outputs.close();
        }
        if (bridge != null) {
            bridge.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void logsNameAReplacedRouteByItsConfiguredName() {
        assertEquals("hot-readings", TributaryBridge.routeName("hot-readings~2"));
        assertEquals("hot-readings", TributaryBridge.routeName("hot-readings"));
    }

    @Test
    void aChangedRouteDeliversToItsNewSinkAndKeepsCountingUnderItsName() throws Exception {
        bridge = start(relay("relay", "in/{device}", "out/a/{device}"), relay("other", "x/{device}", "out/x/{device}"));
        Route other = bridge.camelContext().getRoute("other");
        publish("in/d1", "1");
        awaitReceived("out/a/d1 1");

        RouteChanges changes = bridge.reloadRoutes(List.of(relay("relay", "in/{device}", "out/b/{device}"),
                relay("other", "x/{device}", "out/x/{device}")));

        assertEquals(List.of("relay"), changes.changed());
        assertEquals(List.of(), changes.added());
        assertEquals(List.of(), changes.removed());
        assertSame(other, bridge.camelContext().getRoute("other"), "an unchanged route was restarted");
        assertNull(bridge.camelContext().getRoute("relay"), "the old generation is still there");
        publish("in/d2", "2");
        awaitReceived("out/b/d2 2");
        assertTrue(received.stream().noneMatch(m -> m.startsWith("out/a/d2")), received.toString());

        String metrics = bridge.metrics().scrape();
        assertEquals(2, value(metrics, "tributary_route_messages_in_total", "relay"), metrics);
        assertEquals(1, value(metrics, "tributary_route_up", "relay"), metrics);
        assertTrue(!metrics.contains("relay~"), "the generation leaked into a label:\n" + metrics);
    }

    @Test
    void noMessageIsAcknowledgedWithoutARouteWhileTheRouteIsSwapped() throws Exception {
        bridge = start(relay("relay", "in/{device}", "out/a/{device}"));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger acknowledged = new AtomicInteger();
        Thread publisher = new Thread(() -> {
            while (running.get()) {
                int n = acknowledged.get();
                broker.publish(Message.of("in/d" + n, Integer.toString(n), QoS.AT_LEAST_ONCE, false)).join();
                acknowledged.incrementAndGet();
            }
        }, "reload-test-publisher");
        publisher.start();
        try {
            awaitAcknowledged(acknowledged, 200);
            for (int swap = 0; swap < 6; swap++) {
                String target = swap % 2 == 0 ? "out/b/{device}" : "out/a/{device}";
                bridge.reloadRoutes(List.of(relay("relay", "in/{device}", target)));
                awaitAcknowledged(acknowledged, acknowledged.get() + 100);
            }
        } finally {
            running.set(false);
            publisher.join(30_000);
        }
        int total = acknowledged.get();
        for (int n = 0; n < total; n++) {
            String payload = " " + n;
            String device = "/d" + n + payload;
            assertTrue(received.contains("out/a" + device) || received.contains("out/b" + device),
                    "acknowledged message " + n + " of " + total + " reached no route");
        }
    }

    @Test
    @SuppressWarnings("try")
    void theBridgeStaysReadyWhileTheOldGenerationFinishesItsDeliveries() throws Exception {
        bridge = start(relay("relay", "in/{device}", "held/{device}"));
        CompletableFuture<Void> release = new CompletableFuture<>();
        try (InProcessSubscription holding = broker.subscribe("held/#",
                SubscribeOptions.of(QoS.AT_LEAST_ONCE).holdingPublisherAck(), message -> release)) {
            CompletableFuture<Void> inFlight =
                    broker.publish(Message.of("in/d1", "1", QoS.AT_LEAST_ONCE, false));
            CompletableFuture<RouteChanges> reload = CompletableFuture.supplyAsync(
                    () -> bridge.reloadRoutes(List.of(relay("relay", "in/{device}", "out/b/{device}"))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (bridge.camelContext().getRoute("relay~2") == null) {
                assertTrue(System.nanoTime() < deadline, "the new generation never started");
                Thread.sleep(10);
            }
            Thread.sleep(200); // the old generation is stopping now, waiting for its held delivery

            assertTrue(!reload.isDone(), "the old generation did not wait for its delivery in flight");
            assertEquals("up", bridge.readiness().check().checks().get("routes"));
            release.complete(null);
            assertEquals(List.of("relay"), reload.get(30, TimeUnit.SECONDS).changed());
            inFlight.get(30, TimeUnit.SECONDS);
        } finally {
            release.complete(null);
        }
    }

    @Test
    void addedAndRemovedRoutesStartAndGoWithTheirMeters() throws Exception {
        bridge = start(relay("relay", "in/{device}", "out/a/{device}"));

        RouteChanges changes = bridge.reloadRoutes(List.of(relay("fresh", "new/{device}", "out/new/{device}")));

        assertEquals(List.of("fresh"), changes.added());
        assertEquals(List.of("relay"), changes.removed());
        publish("new/d1", "1");
        awaitReceived("out/new/d1 1");
        publish("in/d1", "1");
        Thread.sleep(200);
        assertTrue(received.stream().noneMatch(m -> m.startsWith("out/a/")), received.toString());
        String metrics = bridge.metrics().scrape();
        assertEquals(-1, value(metrics, "tributary_route_up", "relay"), metrics);
        assertEquals(1, value(metrics, "tributary_route_up", "fresh"), metrics);
        assertEquals(List.of("fresh"), bridge.routes().stream().map(RouteSettings::name).toList());
    }

    @Test
    void theSameRoutesWrittenElsewhereInTheFileChangeNothing() {
        bridge = start(conditional("hot", "{json.t} > 30"));
        Route running = bridge.camelContext().getRoute("hot");
        RouteSettings moved = conditional("hot", "{json.t} > 30");
        moved = new RouteSettings(moved.name(), moved.from(), moved.to(), moved.condition(), moved.retry(),
                moved.deadLetter(), new SourceLocation("test.yaml", 40, 3));

        RouteChanges changes = bridge.reloadRoutes(List.of(moved));

        assertTrue(changes.isEmpty(), changes.toString());
        assertSame(running, bridge.camelContext().getRoute("hot"));
        assertEquals(List.of("hot"), RouteChanges.between(List.of(moved),
                List.of(conditional("hot", "{json.t} > 31"))).changed());
    }

    @Test
    void aRouteThatCannotStartLeavesTheRunningRoutesAsTheyWere() throws Exception {
        bridge = start(relay("relay", "in/{device}", "out/a/{device}"));
        RouteSettings broken = new RouteSettings("to-nowhere", new RouteSource.Mqtt(TopicPattern.parse("t/#")),
                new RouteSink.Jdbc("missing", "rows", List.of(new RouteSink.Column("v", Template.parse("{payload}"),
                        ColumnType.TEXT)), 10, Duration.ofMillis(10), List.of(), true),
                Optional.empty(), FAST_RETRY, Optional.empty(), HERE);

        BridgeStartException error = assertThrows(BridgeStartException.class, () -> bridge.reloadRoutes(
                List.of(relay("relay", "in/{device}", "out/b/{device}"), broken)));

        assertTrue(error.getMessage().contains("missing"), error.getMessage());
        assertNull(bridge.camelContext().getRoute("to-nowhere"));
        assertNull(bridge.camelContext().getRoute("relay~2"));
        publish("in/d1", "1");
        awaitReceived("out/a/d1 1");
        assertEquals(List.of("relay"), bridge.routes().stream().map(RouteSettings::name).toList());
    }

    @Test
    void aReplacedTableRouteWritesWhatItQueuedAndStopsItsWriter() throws Exception {
        JdbcConnectionSettings local = JdbcConnectionSettings.embedded("local");
        bridge = TributaryBridge.start(new TributaryConfig(BrokerConfig.builder().build(), data,
                new ConnectionSettings(Map.of(), Map.of("local", local)),
                List.of(toTable("rows", 1)), List.of()), broker);
        publish("t/a", "1");

        bridge.reloadRoutes(List.of(toTable("rows", 2)));
        publish("t/b", "2");

        awaitWriterThreads(1, "the replaced route's writer thread is still running");
        bridge.reloadRoutes(List.of());
        awaitWriterThreads(0, "the removed route's writer thread is still running");
    }

    @Test
    void aMessageTheConditionRefusesCountsAsFilteredNotDelivered() throws Exception {
        bridge = start(conditional("hot", "{json.t} > 30"));
        publish("in/d1", "{\"t\": 35}");
        publish("in/d2", "{\"t\": 5}");
        awaitReceived("out/hot/d1 {\"t\": 35}");

        String metrics = bridge.metrics().scrape();
        assertEquals(2, value(metrics, "tributary_route_messages_in_total", "hot"), metrics);
        assertEquals(1, value(metrics, "tributary_route_messages_delivered_total", "hot"), metrics);
        assertEquals(1, value(metrics, "tributary_route_messages_filtered_total", "hot"), metrics);
    }

    private TributaryBridge start(RouteSettings... routes) {
        return TributaryBridge.start(new TributaryConfig(BrokerConfig.builder().build(), data,
                ConnectionSettings.none(), List.of(routes), List.of()), broker);
    }

    private void publish(String topic, String payload) throws Exception {
        broker.publish(Message.of(topic, payload, QoS.AT_LEAST_ONCE, false)).get(30, TimeUnit.SECONDS);
    }

    private void awaitReceived(String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!received.contains(expected)) {
            assertTrue(System.nanoTime() < deadline, expected + " not received; got " + received);
            Thread.sleep(10);
        }
    }

    private static void awaitAcknowledged(AtomicInteger acknowledged, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.get() < atLeast) {
            assertTrue(System.nanoTime() < deadline, "publishing stalled at " + acknowledged.get());
            Thread.sleep(5);
        }
    }

    /** A released writer ends on its own, after writing what it had queued: within a poll of its queue. */
    private static void awaitWriterThreads(long expected, String message) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writerThreads() != expected) {
            assertTrue(System.nanoTime() < deadline, message + ": " + writerThreads());
            Thread.sleep(20);
        }
    }

    private static long writerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("tributary-jdbc-local/")).count();
    }

    private static RouteSettings relay(String name, String from, String to) {
        return new RouteSettings(name, new RouteSource.Mqtt(TopicPattern.parse(from)),
                new RouteSink.Mqtt(Template.parse(to), Optional.of(QoS.AT_LEAST_ONCE), false),
                Optional.empty(), FAST_RETRY, Optional.empty(), HERE);
    }

    private static RouteSettings conditional(String name, String condition) {
        return new RouteSettings(name, new RouteSource.Mqtt(TopicPattern.parse("in/{device}")),
                new RouteSink.Mqtt(Template.parse("out/hot/{device}"), Optional.of(QoS.AT_LEAST_ONCE), false),
                Optional.of(Condition.parse(condition)), FAST_RETRY, Optional.empty(), HERE);
    }

    private static RouteSettings toTable(String name, int version) {
        return new RouteSettings(name, new RouteSource.Mqtt(TopicPattern.parse("t/{device}")),
                new RouteSink.Jdbc("local", "rows_" + version, List.of(
                        new RouteSink.Column("device", Template.parse("{device}"), ColumnType.TEXT),
                        new RouteSink.Column("v", Template.parse("{payload}"), ColumnType.TEXT)),
                        10, Duration.ofMillis(10), List.of(), true),
                Optional.empty(), FAST_RETRY, Optional.empty(), HERE);
    }

    private static double value(String metrics, String name, String route) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name + "{route=\"" + route + "\"}") + " (\\S+)$")
                .matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }
}
