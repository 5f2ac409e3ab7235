package io.tributary.routes.metrics;

import io.tributary.testsupport.net.FreePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.bridge.config.ConnectionSettings;
import io.tributary.bridge.config.JdbcConnectionSettings;
import io.tributary.bridge.config.KafkaConnectionSettings;
import io.tributary.bridge.config.RetrySettings;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.RouteSource;
import io.tributary.bridge.mapping.Template;
import io.tributary.bridge.mapping.TopicPattern;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health/ready} with the databases and Kafka up or not there. */
class ReadinessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void readyWhenTheDatabaseAnswers() throws Exception {
        ConnectionSettings connections = new ConnectionSettings(Map.of(),
                Map.of("local", JdbcConnectionSettings.embedded("local")));
        try (MetricsFixture fixture = new MetricsFixture(data, connections, List.of(toTable("to-h2", "local")))) {
            HttpResponse<String> ready = fixture.get("/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            JsonNode checks = JSON.readTree(ready.body()).get("checks");
            assertEquals("up", checks.get("jdbc:local").asText());
            assertEquals(200, fixture.get("/health/live").statusCode());
            // The pool's meters are in the registry.
            assertTrue(fixture.get("/metrics").body().contains("hikaricp_connections{pool=\"tributary-jdbc-local\""));
        }
    }

    @Test
    void notReadyWhileTheDatabaseAndKafkaAreNotThere() throws Exception {
        int closed = FreePort.onLoopback();
        ConnectionSettings connections = new ConnectionSettings(
                Map.of("events", KafkaConnectionSettings.external("events", "127.0.0.1:" + closed)),
                Map.of("warehouse", JdbcConnectionSettings.of("warehouse",
                        "jdbc:postgresql://127.0.0.1:" + closed + "/tributary")));
        RouteSettings toKafka = new RouteSettings("to-kafka", new RouteSource.Mqtt(TopicPattern.parse("k/{id}")),
                new RouteSink.Kafka("events", Template.parse("events"), Optional.empty(), Map.of()),
                Optional.empty(), RetrySettings.defaults(), Optional.empty(), MetricsFixture.HERE);
        try (MetricsFixture fixture = new MetricsFixture(data, connections,
                List.of(toTable("to-postgres", "warehouse"), toKafka))) {
            long started = System.nanoTime();
            HttpResponse<String> ready = fixture.get("/health/ready");
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(4).toNanos(), "the checks took too long");
            assertEquals(503, ready.statusCode(), ready.body());
            JsonNode answer = JSON.readTree(ready.body());
            assertEquals("down", answer.get("status").asText());
            JsonNode checks = answer.get("checks");
            assertEquals("up", checks.get("broker").asText());
            assertEquals("up", checks.get("routes").asText());
            assertTrue(checks.get("jdbc:warehouse").asText().startsWith("down: "), ready.body());
            assertTrue(checks.get("kafka:events").asText().startsWith("down: "), ready.body());
            // Live all the same.
            HttpResponse<String> live = fixture.get("/health/live");
            assertEquals(200, live.statusCode());
            assertEquals("{\"status\":\"up\"}", live.body());
        }
    }

    private static RouteSettings toTable(String name, String connection) {
        return new RouteSettings(name, new RouteSource.Mqtt(TopicPattern.parse(name + "/{id}")),
                new RouteSink.Jdbc(connection, "readings", List.of(new RouteSink.Column("id", Template.parse("{id}"),
                        RouteSink.ColumnType.TEXT)), 10, Duration.ofMillis(10), List.of(), true),
                Optional.empty(), RetrySettings.defaults(), Optional.empty(), MetricsFixture.HERE);
    }
}
