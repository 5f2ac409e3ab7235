package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.tributary.bridge.config.ConfigLoader;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.kafka.KafkaServer;
import io.tributary.testsupport.net.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tributary_cluster_*} meters at {@code GET /metrics}: a one-node cluster on a real Kafka counts each
 * publish of the HTTP API as one append and, once its log reader handed it back, one delivery, and a retained
 * publish also as one retained append; it counts one live node and one session in the table, and the health
 * check, {@code GET /api/v1/cluster} and the clients' lists say the same; the same node without {@code cluster:}
 * has none of these meters, no {@code cluster} check and no cluster in its API.
 */
class ClusterMetricsTest {
    private static final int PUBLISHES = 20;
    private static final String TOKEN = "cluster-metrics-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path folder;

    @Test
    void aClusterNodeCountsItsAppendsAndDeliveries() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        int httpPort = FreePort.onLoopback();
        int mqttPort = FreePort.onLoopback();
        RunningTributary node = RunningTributary.start(config(httpPort, mqttPort, """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                cluster:
                  kafka: main
                  node: node-1
                  topic-prefix: "%s."
                  partitions: { messages: 2, sessions: 1 }
                  checkpoint-interval: 100ms
                """.formatted(kafka.bootstrapServers(), KafkaServer.uniqueTopic("meters"))));
        Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("d1")
                .serverHost("127.0.0.1").serverPort(mqttPort).buildBlocking();
        try {
            // A session that wants the commands: without one anywhere in the cluster, nothing would be appended.
            device.connect();
            device.subscribeWith().topicFilter("devices/d1/commands").qos(MqttQos.AT_LEAST_ONCE).send();
            for (int i = 1; i <= PUBLISHES; i++) {
                HttpResponse<String> published = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + httpPort + "/api/v1/publish"))
                        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"topic\": \"devices/d1/commands\", \"qos\": 1, \"retain\": " + (i == PUBLISHES)
                                        + ", \"payload\": \"c-" + i + "\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, published.statusCode(), published.body());
            }
            Await.until(Duration.ofSeconds(15), "every publish handed back from the log", () ->
                    value(scrape(httpPort), "tributary_cluster_delivery_seconds_count") == PUBLISHES);
            Await.until(Duration.ofSeconds(5), "the reader's gauges counted after the deliveries", () ->
                    value(scrape(httpPort), "tributary_cluster_reader_lag_records{topic=\"") == 0);
            String metrics = scrape(httpPort);
            assertEquals(PUBLISHES, value(metrics, "tributary_cluster_appends_total{kind=\"publish\""), metrics);
            assertEquals(0, value(metrics, "tributary_cluster_append_failures_total{kind=\"publish\""), metrics);
            assertEquals(1, value(metrics, "tributary_cluster_appends_total{kind=\"retained\""),
                    "the last publish, retained: " + metrics);
            assertEquals(1, value(metrics, "tributary_cluster_appends_total{kind=\"state\""),
                    "the device's subscription in the cluster's table: " + metrics);
            assertTrue(value(metrics, "tributary_cluster_appends_total{kind=\"checkpoint\"") >= 1,
                    "the first checkpoint at least: " + metrics);
            assertTrue(value(metrics, "tributary_cluster_append_seconds_count") >= PUBLISHES + 1, metrics);
            assertEquals(PUBLISHES, value(metrics, "tributary_cluster_delivery_seconds_count"), metrics);
            assertTrue(metrics.contains("tributary_cluster_delivery_seconds_bucket{le="), "a histogram");
            assertEquals(0, value(metrics, "tributary_cluster_pending_deliveries"), metrics);
            assertEquals(0, value(metrics, "tributary_cluster_reader_paused"), metrics);
            assertEquals(1, value(metrics, "tributary_cluster_nodes"), metrics);
            assertEquals(1, value(metrics, "tributary_cluster_table_sessions"), "d1's session: " + metrics);

            // The same view at the health check and the API.
            HttpResponse<String> ready = get(httpPort, "/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"cluster\":\"up: 1 node (node-1)\""), ready.body());
            JsonNode cluster = json(get(httpPort, "/api/v1/cluster"), 200);
            assertEquals("node-1", cluster.path("node").asText(), cluster.toString());
            assertEquals(1, cluster.path("nodes").size(), cluster.toString());
            JsonNode self = cluster.path("nodes").get(0);
            assertEquals("node-1", self.path("name").asText(), cluster.toString());
            assertTrue(self.path("live").asBoolean(), cluster.toString());
            assertEquals(1, self.path("sessions").asInt(), cluster.toString());
            assertTrue(Instant.parse(self.path("lastCheckpoint").asText()).isAfter(Instant.now().minusSeconds(60)),
                    cluster.toString());
            JsonNode local = json(get(httpPort, "/api/v1/clients"), 200);
            assertEquals("d1", local.path("clients").get(0).path("clientId").asText(), local.toString());
            assertEquals("node-1", local.path("clients").get(0).path("node").asText(), local.toString());
            JsonNode table = json(get(httpPort, "/api/v1/clients?scope=cluster"), 200);
            assertEquals(1, table.path("total").asInt(), table.toString());
            JsonNode d1 = table.path("clients").get(0);
            assertEquals("d1", d1.path("clientId").asText(), table.toString());
            assertEquals("node-1", d1.path("node").asText(), table.toString());
            assertTrue(d1.path("connected").asBoolean(), table.toString());
            assertFalse(d1.has("address"), "only the owner knows the address: " + table);
            assertEquals(400, get(httpPort, "/api/v1/clients?scope=world").statusCode());
            device.disconnect();
        } finally {
            node.stop();
        }
    }

    @Test
    void aSingleNodeHasNoClusterMeters() throws Exception {
        int httpPort = FreePort.onLoopback();
        RunningTributary node = RunningTributary.start(config(httpPort, 0, ""));
        try {
            String metrics = scrape(httpPort);
            assertTrue(metrics.contains("tributary_broker_connections"), "the broker's meters are served: " + metrics);
            assertFalse(metrics.contains("tributary_cluster_"), metrics);
            assertEquals(404, get(httpPort, "/api/v1/cluster").statusCode(), "not in a cluster");
            assertEquals(400, get(httpPort, "/api/v1/clients?scope=cluster").statusCode());
            HttpResponse<String> ready = get(httpPort, "/health/ready");
            assertFalse(ready.body().contains("cluster"), ready.body());
        } finally {
            node.stop();
        }
    }

    private TributaryConfig config(int httpPort, int mqttPort, String more) throws Exception {
        Path token = Files.writeString(folder.resolve("api-token"), TOKEN + "\n");
        return new ConfigLoader(Map.of()).loadString("test.yaml", """
                data-directory: "%s"
                broker:
                  listeners: [ { name: mqtt, type: tcp, host: 127.0.0.1, port: %d } ]
                http-api: { host: 127.0.0.1, port: %d, tokens: [ { file: "%s" } ] }
                """.formatted(folder.resolve("data").toAbsolutePath(), mqttPort, httpPort, token) + more);
    }

    private HttpResponse<String> get(int httpPort, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        return MAPPER.readTree(response.body());
    }

    private String scrape(int httpPort) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + httpPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of the first sample whose line starts with {@code start}; -1 when there is none. */
    private static double value(String metrics, String start) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(start) + "[^ ]* (\\S+)$").matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : -1;
    }
}
