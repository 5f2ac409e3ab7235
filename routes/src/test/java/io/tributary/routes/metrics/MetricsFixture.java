package io.tributary.routes.metrics;

import io.tributary.bridge.config.ConnectionSettings;
import io.tributary.bridge.config.HttpApiSettings;
import io.tributary.bridge.config.RetrySettings;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.RouteSource;
import io.tributary.bridge.config.Secret;
import io.tributary.bridge.config.SourceLocation;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.bridge.mapping.Template;
import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.QoS;
import io.tributary.routes.TributaryBridge;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A real broker and a bridge with the HTTP API on a free loopback port; requests without a token. */
final class MetricsFixture implements AutoCloseable {

    static final String TOKEN_VARIABLE = "TRIBUTARY_TEST_METRICS_TOKEN";
    static final SourceLocation HERE = new SourceLocation("test.yaml", 1, 1);
    static final RetrySettings FAST_RETRY = new RetrySettings(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(50));

    final Broker broker;
    final TributaryBridge bridge;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    MetricsFixture(Path data, ConnectionSettings connections, List<RouteSettings> routes) {
        broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).build()).build();
        broker.start().join();
        TributaryConfig config = new TributaryConfig(BrokerConfig.builder().build(), data, connections, routes,
                List.of(),
                Optional.of(new HttpApiSettings("127.0.0.1", 0, List.of(Secret.fromEnvironment(TOKEN_VARIABLE)))));
        try {
            bridge = TributaryBridge.start(config, broker, Map.of(TOKEN_VARIABLE, "secret"));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + bridge.httpApiPort().orElseThrow() + path);
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static RouteSettings mqttToMqtt(String name, String from, String to) {
        return new RouteSettings(name, new RouteSource.Mqtt(TopicPattern.parse(from)),
                new RouteSink.Mqtt(Template.parse(to), Optional.of(QoS.AT_LEAST_ONCE), false),
                Optional.empty(), FAST_RETRY, Optional.empty(), HERE);
    }

    static RouteSettings mqttToWebhook(String name, String from, String url, Optional<RouteSink> deadLetter) {
        return new RouteSettings(name, new RouteSource.Mqtt(TopicPattern.parse(from)),
                new RouteSink.Http(Template.parse(url), "POST", RouteSink.WebhookFormat.RAW, Duration.ofSeconds(2), 1,
                        Map.of(), Optional.empty()),
                Optional.empty(), FAST_RETRY, deadLetter, HERE);
    }

    @Override
    public void close() {
        try {
            bridge.close();
        } finally {
            broker.close();
        }
    }
}
