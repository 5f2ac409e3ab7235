package io.tributary.routes.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.tributary.bridge.config.HttpApiSettings;
import io.tributary.bridge.config.Secret;
import io.tributary.broker.Broker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/clients} and {@code DELETE /api/v1/clients/{id}} with real MQTT clients. */
class ClientsApiTest {

    private static final String OPERATOR = "operator-token";
    private static final String DASHBOARD = "dashboard-token";

    @TempDir
    Path data;

    private ApiStack stack;
    private Broker broker;
    private HttpApi api;
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() {
        stack = ApiStack.start(data, new HttpApiSettings("127.0.0.1", 0, List.of(Secret.fromEnvironment("OPERATOR")),
                Map.of("dashboard", Secret.fromEnvironment("DASHBOARD")), false, null),
                Map.of("OPERATOR", OPERATOR, "DASHBOARD", DASHBOARD));
        broker = stack.broker;
        api = stack.api;
    }

    @AfterEach
    void stop() {
        for (Mqtt5BlockingClient client : clients) {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        }
        stack.close();
    }

    @Test
    void listsConnectedClientsSortedWithTheirSubscriptionsAndATotal() throws Exception {
        Mqtt5BlockingClient meter = connect("meter/7");
        meter.subscribeWith().topicFilter("commands/meter/7").qos(MqttQos.AT_LEAST_ONCE).send();
        connect("gateway-1");

        JsonNode all = json(send("GET", "/api/v1/clients", OPERATOR), 200);
        assertEquals(2, all.get("total").asInt());
        assertEquals("gateway-1", all.get("clients").get(0).get("clientId").asText());
        JsonNode second = all.get("clients").get(1);
        assertEquals("meter/7", second.get("clientId").asText());
        assertEquals(5, second.get("protocolVersion").asInt());
        assertEquals(1, second.get("subscriptions").asInt());
        assertEquals(0, second.get("queued").asInt());
        assertEquals(0, second.get("inFlight").asInt());
        assertEquals("tcp", second.get("listener").asText());
        assertTrue(second.get("address").asText().startsWith("127.0.0.1:"), second.toString());
        assertTrue(all.get("next").isNull(), "one page holds them all");

        JsonNode first = json(send("GET", "/api/v1/clients?limit=1", OPERATOR), 200);
        assertEquals(2, first.get("total").asInt());
        assertEquals(1, first.get("clients").size());
        assertEquals("gateway-1", first.get("next").asText());
        JsonNode next = json(send("GET", "/api/v1/clients?limit=1&after=gateway-1", OPERATOR), 200);
        assertEquals("meter/7", next.get("clients").get(0).get("clientId").asText());
    }

    @Test
    void disconnectClosesTheClientsConnectionAndSaysSo() throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        Mqtt5BlockingClient meter = MqttClient.builder().useMqttVersion5().identifier("meter/7 a+b")
                .serverHost("127.0.0.1").serverPort(broker.boundPort("tcp"))
                .addDisconnectedListener(ctx -> {
                    if (ctx.getSource() == MqttDisconnectSource.SERVER) {
                        closed.complete(ctx.getCause());
                    }
                })
                .buildBlocking();
        clients.add(meter);
        meter.connect();

        JsonNode answer = json(send("DELETE", "/api/v1/clients/meter%2F7%20a+b", OPERATOR), 200);
        assertEquals("meter/7 a+b", answer.get("disconnected").asText());

        Throwable cause = closed.get(5, TimeUnit.SECONDS);
        assertEquals(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION,
                ((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode());
        broker.whenAllDetached().get(5, TimeUnit.SECONDS);
        assertEquals(0, json(send("GET", "/api/v1/clients", OPERATOR), 200).get("total").asInt());
    }

    @Test
    void disconnectOfAClientThatIsNotConnectedIs404() throws Exception {
        HttpResponse<String> response = send("DELETE", "/api/v1/clients/nobody", OPERATOR);
        assertEquals(404, response.statusCode());
        assertTrue(response.body().contains("no client with id 'nobody' is connected"), response.body());
    }

    @Test
    void withoutTokenBoth401AndNothingIsDisconnected() throws Exception {
        Mqtt5BlockingClient meter = connect("meter-1");
        assertEquals(401, send("GET", "/api/v1/clients", null).statusCode());
        assertEquals(401, send("DELETE", "/api/v1/clients/meter-1", null).statusCode());
        assertEquals(401, send("DELETE", "/api/v1/clients/meter-1", "wrong").statusCode());
        assertTrue(meter.getState().isConnected());
        assertEquals(1, broker.connectedClients(null, 10).total());
    }

    @Test
    void aNamedUsersTokenMayNeitherListNorDisconnect() throws Exception {
        connect("meter-1");
        HttpResponse<String> list = send("GET", "/api/v1/clients", DASHBOARD);
        assertEquals(403, list.statusCode());
        assertTrue(list.body().contains("only the tokens of http-api.tokens"), list.body());
        assertEquals(403, send("DELETE", "/api/v1/clients/meter-1", DASHBOARD).statusCode());
        assertEquals(1, broker.connectedClients(null, 10).total());
    }

    @Test
    void badLimitIs400() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/clients?limit=1001", OPERATOR);
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("'limit' must be from 1 to 1000"), response.body());
        assertEquals(400, send("GET", "/api/v1/clients?limit=ten", OPERATOR).statusCode());
    }

    @Test
    void rootRedirectsToTheConsoleAndOtherPathsStillWantAToken() throws Exception {
        HttpResponse<String> root = send("GET", "/", null);
        assertEquals(302, root.statusCode());
        assertEquals("/console", root.headers().firstValue("Location").orElse(""));
        assertEquals(401, send("GET", "/api/v1/webhooks", null).statusCode());
        assertEquals(401, send("POST", "/", null).statusCode(), "only GET and HEAD are redirected");
    }

    @Test
    void consoleUrlNamesTheBoundPortAndTheScheme() {
        HttpApiSettings plain = new HttpApiSettings("127.0.0.1", 0, List.of(Secret.fromEnvironment("X")));
        assertEquals("http://127.0.0.1:8080/console", HttpApi.consoleUrl(plain, 8080));
        HttpApiSettings wildcard = new HttpApiSettings("0.0.0.0", 0, List.of(Secret.fromEnvironment("X")));
        assertEquals("http://localhost:9000/console", HttpApi.consoleUrl(wildcard, 9000));
        HttpApiSettings v6 = new HttpApiSettings("::1", 0, List.of(Secret.fromEnvironment("X")));
        assertEquals("http://[::1]:9000/console", HttpApi.consoleUrl(v6, 9000));
    }

    private Mqtt5BlockingClient connect(String clientId) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(broker.boundPort("tcp")).buildBlocking();
        clients.add(client);
        client.connect();
        return client;
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        return ApiJson.MAPPER.readTree(response.body());
    }
}
