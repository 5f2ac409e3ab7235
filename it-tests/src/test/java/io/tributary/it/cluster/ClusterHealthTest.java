package io.tributary.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tributary.it.crash.TributaryChild;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.kafka.KafkaServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster seen from outside (issue 17, design §8 test 8): three {@code tributary run} processes on one
 * dedicated Kafka. {@code /health/ready} lists three nodes; {@code GET /api/v1/cluster} on each node lists the same
 * three live nodes; clients connected on different nodes appear in {@code /api/v1/clients?scope=cluster} with
 * their node. After {@code kill -9} of node 3, nodes 1 and 2 list two live nodes within the failure timeout
 * (3 s here) and 5 s; once node 3 is restarted, three again.
 */
class ClusterHealthTest {
    private static final String TOKEN = "cluster-health-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> THREE = List.of("node-1", "node-2", "node-3");

    @TempDir
    Path folder;

    private final Map<Integer, Integer> httpPorts = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyNodeListsTheLiveNodesAndWhereEachClientIs() throws Exception {
        try (KafkaServer kafka = KafkaServer.startDedicated("cluster-health")) {
            List<TributaryChild> nodes = new ArrayList<>();
            List<Mqtt5AsyncClient> clients = new ArrayList<>();
            try {
                startThree(nodes, kafka);
                for (int n = 1; n <= 3; n++) {
                    int node = n;
                    Await.until(Duration.ofSeconds(20), "node " + n + " ready with three nodes", () ->
                            ready(node).equals("up: 3 nodes (node-1, node-2, node-3)"));
                }
                for (int n = 1; n <= 3; n++) {
                    JsonNode cluster = get(n, "/api/v1/cluster");
                    assertEquals("node-" + n, cluster.path("node").asText(), cluster.toString());
                    assertEquals(THREE, live(cluster), cluster.toString());
                }

                for (int n = 1; n <= 3; n++) {
                    Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier("device-" + n)
                            .serverHost("127.0.0.1").serverPort(nodes.get(n - 1).mqttPort()).buildAsync();
                    client.connectWith().sessionExpiryInterval(n == 2 ? 3600 : 0).send()
                            .orTimeout(20, TimeUnit.SECONDS).join();
                    client.subscribeWith().topicFilter("devices/" + n + "/#").qos(MqttQos.AT_LEAST_ONCE).send()
                            .orTimeout(20, TimeUnit.SECONDS).join();
                    clients.add(client);
                }
                for (int n = 1; n <= 3; n++) {
                    int node = n;
                    Await.until(Duration.ofSeconds(10), "node " + n + " to list every node's client", () -> {
                        JsonNode table = get(node, "/api/v1/clients?scope=cluster");
                        return table.path("total").asInt() == 3
                                && owner(table, "device-1").equals("node-1")
                                && owner(table, "device-2").equals("node-2")
                                && owner(table, "device-3").equals("node-3");
                    });
                    JsonNode local = get(n, "/api/v1/clients");
                    assertEquals(1, local.path("total").asInt(), local.toString());
                    assertEquals("node-" + n, local.path("clients").get(0).path("node").asText(), local.toString());
                    JsonNode cluster = get(n, "/api/v1/cluster");
                    for (JsonNode entry : cluster.path("nodes")) {
                        assertEquals(1, entry.path("sessions").asInt(), cluster.toString());
                    }
                }

                long killed = System.nanoTime();
                nodes.get(2).kill();
                for (int n = 1; n <= 2; n++) {
                    int node = n;
                    Await.until(Duration.ofSeconds(8).minusNanos(System.nanoTime() - killed),
                            "node " + n + " to see node 3 gone", () ->
                                    live(get(node, "/api/v1/cluster")).equals(List.of("node-1", "node-2")));
                    assertEquals("up: 2 nodes (node-1, node-2)", ready(n));
                }
                System.out.printf("cluster-health: node 3 gone for nodes 1 and 2 %d ms after kill -9%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
                JsonNode cluster = get(1, "/api/v1/cluster");
                assertTrue(cluster.toString().contains("\"name\":\"node-3\",\"live\":false"), cluster.toString());

                nodes.get(2).start();
                for (int n = 1; n <= 3; n++) {
                    int node = n;
                    Await.until(Duration.ofSeconds(30), "node " + n + " to list three live nodes again", () ->
                            live(get(node, "/api/v1/cluster")).equals(THREE));
                }
            } finally {
                for (Mqtt5AsyncClient client : clients) {
                    try {
                        client.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
                    } catch (RuntimeException e) {
                        // its node may be gone; nothing to close
                    }
                }
                for (TributaryChild node : nodes) {
                    node.close();
                }
            }
        }
    }

    private static List<String> live(JsonNode cluster) {
        List<String> names = new ArrayList<>();
        cluster.path("nodes").forEach(node -> {
            if (node.path("live").asBoolean()) {
                names.add(node.path("name").asText());
            }
        });
        return names;
    }

    private static String owner(JsonNode table, String clientId) {
        for (JsonNode client : table.path("clients")) {
            if (client.path("clientId").asText().equals(clientId)) {
                return client.path("node").asText();
            }
        }
        return "";
    }

    /** The {@code cluster} check of node {@code n}'s {@code /health/ready}; empty if the node does not answer. */
    private String ready(int n) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + httpPorts.get(n) + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            return MAPPER.readTree(response.body()).path("checks").path("cluster").asText();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode get(int n, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + httpPorts.get(n) + path)).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void startThree(List<TributaryChild> nodes, KafkaServer kafka) throws IOException {
        ThreeNodes.start(folder, kafka, "", "  partitions: { messages: 2, sessions: 2 }\n  checkpoint-interval: 100ms\n"
                + "  failure-timeout: 3s\n", TOKEN, nodes, httpPorts);
    }
}
