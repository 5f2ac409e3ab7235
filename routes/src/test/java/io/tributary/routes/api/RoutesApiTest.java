package io.tributary.routes.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.bridge.config.HttpApiSettings;
import io.tributary.bridge.config.Secret;
import io.tributary.broker.AclConfig;
import io.tributary.broker.Broker;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.routes.metrics.RouteMeters;
import io.tributary.testsupport.await.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/routes}: each route's state and last error, as the bridge's route meters saw it. */
class RoutesApiTest {

    private static final String TOKEN = "routes-token";

    @TempDir
    Path data;

    private ApiStack stack;
    private Broker broker;
    private HttpApi api;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() {
        stack = ApiStack.start(data, new HttpApiSettings("127.0.0.1", 0, List.of(Secret.fromEnvironment("TOKEN"))),
                Map.of("TOKEN", TOKEN), AclConfig.NONE, context -> {
                    // As the bridge does: the meters are an event notifier of the context, added before it starts.
                    context.getManagementStrategy().addEventNotifier(new RouteMeters(new SimpleMeterRegistry(),
                            Set.copyOf(HttpApi.REQUEST_ROUTE_IDS)));
                    context.addRoutes(new RouteBuilder() {
                        @Override
                        public void configure() {
                            from("tributary:orders/#").routeId("orders-to-erp").process(exchange -> {
                                throw new IllegalStateException("the ERP answered 503 Service Unavailable");
                            });
                            from("tributary:quiet/#").routeId("quiet").log("ok");
                        }
                    });
                });
        broker = stack.broker;
        api = stack.api;
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    @Test
    void listsRoutesWithTheirStateAndLastError() throws Exception {
        JsonNode before = routes();
        assertEquals(2, before.size(), "the API's own routes are not listed: " + before);
        assertEquals("orders-to-erp", before.get(0).get("name").asText());
        assertEquals("started", before.get(0).get("state").asText());
        assertTrue(before.get(0).get("lastError").isNull());

        Instant sent = Instant.now();
        broker.publish(Message.of("orders/1", "{}", QoS.AT_MOST_ONCE, false)).handle((ok, e) -> null).join();

        Await.until(Duration.ofSeconds(10), "the route's error is listed",
                () -> !routes().get(0).get("lastError").isNull());
        JsonNode error = routes().get(0).get("lastError");
        assertEquals("the ERP answered 503 Service Unavailable", error.get("message").asText());
        Instant at = Instant.parse(error.get("time").asText());
        assertTrue(!at.isBefore(sent.minusSeconds(1)), at + " after " + sent);
        assertTrue(routes().get(1).get("lastError").isNull(), "the other route has none");
    }

    @Test
    void withoutTokenIs401() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
    }

    private JsonNode routes() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri())
                    .header("Authorization", "Bearer " + TOKEN).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(200, response.statusCode(), response.body());
            return ApiJson.MAPPER.readTree(response.body()).get("routes");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + api.port() + "/api/v1/routes");
    }
}
