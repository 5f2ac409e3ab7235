package io.tributary.routes.api;

import io.tributary.bridge.config.HttpApiSettings;
import io.tributary.bridge.config.Secret;
import io.tributary.broker.AclConfig;
import io.tributary.broker.Broker;
import io.tributary.routes.http.WebhookSinks;
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
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A real broker, a Camel context with the {@code tributary} component as the bridge has, and the HTTP API on
 * a free loopback port, with a JDK HTTP client.
 */
final class ApiFixture implements AutoCloseable {

    static final String TOKEN = "token-from-environment";
    static final String FILE_TOKEN = "token-from-file";
    static final String TOKEN_VARIABLE = "TRIBUTARY_TEST_API_TOKEN";

    final Broker broker;
    final DefaultCamelContext context;
    final WebhookSinks sinks;
    final Path data;
    final HttpApiSettings settings;
    final Map<String, String> environment = Map.of(TOKEN_VARIABLE, TOKEN);
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final ApiStack stack;
    HttpApi api;

    private ApiFixture(Path data, HttpApi.Limits limits, boolean allowPrivateWebhookTargets) throws IOException {
        this.data = data;
        Path tokenFile = Files.writeString(data.resolve("api-token"), FILE_TOKEN + "\n");
        settings = new HttpApiSettings("127.0.0.1", 0,
                List.of(Secret.fromEnvironment(TOKEN_VARIABLE), Secret.fromFile(tokenFile)))
                .withPrivateWebhookTargets(allowPrivateWebhookTargets);
        stack = ApiStack.start(AclConfig.NONE, environment, context -> { },
                started -> HttpApi.start(settings, started.context, started.broker, started.sinks, data, environment,
                        limits));
        broker = stack.broker;
        context = stack.context;
        sinks = stack.sinks;
        api = stack.api;
    }

    static ApiFixture start(Path data) throws IOException {
        return start(data, HttpApi.Limits.DEFAULTS);
    }

    static ApiFixture start(Path data, HttpApi.Limits limits) throws IOException {
        // The tests' webhook servers listen on loopback, which the API refuses by default.
        return new ApiFixture(data, limits, true);
    }

    /** An API that lets webhooks reach public addresses only, as configured by default. */
    static ApiFixture startPublicOnly(Path data) throws IOException {
        return new ApiFixture(data, HttpApi.Limits.DEFAULTS, false);
    }

    /** Stops the API and starts a new one on the same context and data directory. */
    void restartApi() {
        api.close();
        api = HttpApi.start(settings, context, broker, sinks, data, environment);
        stack.api = api;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + api.port() + pathAndQuery);
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN);
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(request(pathAndQuery).GET().build());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE().build());
    }

    @Override
    public void close() {
        stack.close();
    }
}
