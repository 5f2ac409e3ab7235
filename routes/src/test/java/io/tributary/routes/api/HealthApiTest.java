package io.tributary.routes.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} and {@code /health/*} of an API started without the bridge's monitoring: no token needed. */
class HealthApiTest {

    @TempDir
    Path data;

    @Test
    void metricsAndHealthNeedNoToken() throws Exception {
        try (ApiFixture fixture = ApiFixture.start(data)) {
            HttpResponse<String> metrics = fixture.send(HttpRequest.newBuilder(fixture.uri("/metrics")).GET().build());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("tributary_broker_messages_received_total{qos=\"0\"} "), metrics.body());
            assertTrue(metrics.body().contains("tributary_broker_connections "), metrics.body());

            HttpResponse<String> live = fixture.send(HttpRequest.newBuilder(fixture.uri("/health/live")).GET().build());
            assertEquals(200, live.statusCode());
            assertEquals("{\"status\":\"up\"}", live.body());

            HttpResponse<String> ready = fixture.send(HttpRequest.newBuilder(fixture.uri("/health/ready/")).GET()
                    .build());
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("{\"status\":\"up\",\"checks\":{\"broker\":\"up\",\"routes\":\"up\"}}", ready.body());
        }
    }

    @Test
    void otherMethodsAre405AndOtherPathsStillWantAToken() throws Exception {
        try (ApiFixture fixture = ApiFixture.start(data)) {
            HttpResponse<String> post = fixture.send(HttpRequest.newBuilder(fixture.uri("/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(405, post.statusCode());
            assertEquals("GET", post.headers().firstValue("Allow").orElseThrow());
            HttpResponse<String> other = fixture.send(HttpRequest.newBuilder(fixture.uri("/health")).GET().build());
            assertEquals(401, other.statusCode());
        }
    }

    @Test
    void notReadyWhileARouteIsStopped() throws Exception {
        try (ApiFixture fixture = ApiFixture.start(data)) {
            fixture.context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:health-test").routeId("health-test").log("${body}");
                }
            });
            fixture.context.getRouteController().stopRoute("health-test");

            HttpResponse<String> ready = fixture.send(HttpRequest.newBuilder(fixture.uri("/health/ready")).GET()
                    .build());
            assertEquals(503, ready.statusCode(), ready.body());
            assertEquals("{\"status\":\"down\",\"checks\":{\"broker\":\"up\",\"routes\":\"down: not started: "
                    + "health-test (stopped)\"}}", ready.body());
            assertEquals(200, fixture.send(HttpRequest.newBuilder(fixture.uri("/health/live")).GET().build())
                    .statusCode());
        }
    }
}
