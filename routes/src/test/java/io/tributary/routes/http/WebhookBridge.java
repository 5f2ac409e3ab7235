package io.tributary.routes.http;

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
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.routes.TributaryBridge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The broker with a {@link TributaryBridge} whose routes deliver to webhooks, built from records (as the
 * YAML reader would make them), and the dead letters of those routes as the broker got them.
 */
final class WebhookBridge implements AutoCloseable {

    static final SourceLocation HERE = new SourceLocation("test.yaml", 1, 1);
    /** Where every route's dead letters go: {@code dead/ROUTE}. */
    static final String DEAD_LETTERS = "dead/{route}";

    private final Broker broker;
    private final TributaryBridge bridge;
    private final InProcessSubscription deadLetterSubscription;
    /** The dead letters the routes published, in arrival order. */
    final BlockingQueue<Message> deadLetters;

    private WebhookBridge(Broker broker, TributaryBridge bridge, InProcessSubscription deadLetterSubscription,
                          BlockingQueue<Message> deadLetters) {
        this.broker = broker;
        this.bridge = bridge;
        this.deadLetterSubscription = deadLetterSubscription;
        this.deadLetters = deadLetters;
    }

    /** Starts the broker and the routes, reading secrets from {@code environment}. */
    static WebhookBridge start(Path data, List<RouteSettings> routes, Map<String, String> environment) {
        Broker broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).build()).build();
        broker.start().join();
        try {
            TributaryConfig config = new TributaryConfig(BrokerConfig.builder().build(), data,
                    ConnectionSettings.none(), routes, List.of());
            TributaryBridge bridge = TributaryBridge.start(config, broker, environment);
            BlockingQueue<Message> dead = new LinkedBlockingQueue<>();
            InProcessSubscription subscription = broker.subscribe("dead/#", SubscribeOptions.of(QoS.AT_LEAST_ONCE),
                    message -> {
                        dead.add(message);
                        return null;
                    });
            return new WebhookBridge(broker, bridge, subscription, dead);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** A route from {@code filter} to {@code sink}, dead letters to {@code dead/NAME} when {@code deadLetter}. */
    static RouteSettings route(String name, String filter, RouteSink.Http sink, RetrySettings retry,
                               boolean deadLetter) {
        Optional<RouteSink> dead = deadLetter
                ? Optional.of(new RouteSink.Mqtt(Template.parse(DEAD_LETTERS), Optional.of(QoS.AT_LEAST_ONCE), false))
                : Optional.empty();
        return new RouteSettings(name, new RouteSource.Mqtt(TopicPattern.parse(filter)), sink, Optional.empty(),
                retry, dead, HERE);
    }

    /** A webhook sink with the given URL, raw, 2 s timeout, 4 in flight, no headers, no credentials. */
    static RouteSink.Http post(String url) {
        return new RouteSink.Http(Template.parse(url), "POST", RouteSink.WebhookFormat.RAW, Duration.ofSeconds(2), 4,
                Map.of(), Optional.empty());
    }

    /** {@code attempts} attempts, 50 ms, 100 ms, 200 ms... apart, at most 1 s. */
    static RetrySettings quickRetries(int attempts) {
        return new RetrySettings(attempts, Duration.ofMillis(50), 2.0, Duration.ofSeconds(1));
    }

    /** Publishes as a device would; the future completes when the route acknowledged (its PUBACK). */
    CompletableFuture<Void> publish(Message message) {
        return broker.publish(message);
    }

    /**
     * Waits for a publish whose message the route dead-lettered for good: the publisher is told its payload was
     * refused (an MQTT 5 device gets 0x99), as the route is the message's only subscriber.
     */
    static void awaitRefused(CompletableFuture<Void> published) throws Exception {
        try {
            published.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof io.tributary.broker.PayloadRefusedException) {
                return;
            }
            throw e;
        }
        throw new AssertionError("the publish was accepted, not refused");
    }

    CompletableFuture<Void> publish(String topic, String payload) {
        return publish(Message.of(topic, payload, QoS.AT_LEAST_ONCE, false));
    }

    TributaryBridge bridge() {
        return bridge;
    }

    @Override
    public void close() {
        try {
            deadLetterSubscription.close();
            bridge.close();
        } finally {
            broker.close();
        }
    }
}
