package io.tributary.broker.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket listener's {@code allowed-origins}: an upgrade request carrying an {@code Origin} header (what a
 * browser sends for a page's script) is refused with HTTP 403 unless that origin is listed; a request without one
 * (a device, a command-line client) is taken. A listener with no list refuses every browser page.
 */
class WebSocketOriginTest {
    private Broker broker;
    private int closedPort;
    private int openPort;

    @BeforeEach
    void start() {
        broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.websocket("127.0.0.1", 0, "/mqtt").named("closed"))
                .listener(ListenerConfig.websocket("127.0.0.1", 0, "/mqtt").named("open")
                        .withAllowedOrigins(List.of("https://dashboard.example.com")))
                .sysInterval(Duration.ZERO).build()).build();
        broker.start().join();
        closedPort = broker.boundPort("closed");
        openPort = broker.boundPort("open");
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void pageFromAnySiteIsRefusedByDefault() throws Exception {
        assertTrue(upgrade(closedPort, "https://evil.example.net").startsWith("HTTP/1.1 403"));
        assertTrue(upgrade(closedPort, "null").startsWith("HTTP/1.1 403"), "a sandboxed page sends 'null'");
    }

    @Test
    void requestWithoutOriginIsTaken() throws Exception {
        assertTrue(upgrade(closedPort, null).startsWith("HTTP/1.1 101"));
    }

    @Test
    void originNamingTheBrokersOwnAddressIsTakenAsNettyClientsSendIt() throws Exception {
        assertTrue(upgrade(closedPort, "http://127.0.0.1:" + closedPort).startsWith("HTTP/1.1 101"));
        assertTrue(upgrade(closedPort, "http://localhost:" + closedPort, "localhost:" + closedPort)
                .startsWith("HTTP/1.1 101"));
        assertTrue(upgrade(closedPort, "http://127.0.0.1:1").startsWith("HTTP/1.1 403"), "another port");
    }

    @Test
    void originEqualToAHostNameIsRefusedAsDnsRebindingWouldForgeIt() throws Exception {
        // A page of evil.example.net whose name was re-pointed at 127.0.0.1 sends this pair of headers.
        String site = "evil.example.net:" + closedPort;
        assertTrue(upgrade(closedPort, "http://" + site, site).startsWith("HTTP/1.1 403"));
    }

    @Test
    void listedOriginIsTakenWhateverItsCaseAndOthersAreRefused() throws Exception {
        assertTrue(upgrade(openPort, "https://dashboard.example.com").startsWith("HTTP/1.1 101"));
        assertTrue(upgrade(openPort, "HTTPS://Dashboard.Example.com").startsWith("HTTP/1.1 101"));
        assertTrue(upgrade(openPort, "https://dashboard.example.com.evil.net").startsWith("HTTP/1.1 403"));
        assertTrue(upgrade(openPort, "http://dashboard.example.com").startsWith("HTTP/1.1 403"));
    }

    @Test
    void refusalLeavesConnectedWebSocketClientsAlone() throws Exception {
        Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("device")
                .serverHost("127.0.0.1").serverPort(closedPort)
                .webSocketConfig().serverPath("mqtt").subprotocol("mqtt").applyWebSocketConfig().buildBlocking();
        device.connect();
        device.subscribeWith().topicFilter("ws/t").qos(MqttQos.AT_LEAST_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = device.publishes(MqttGlobalPublishFilter.ALL)) {
            assertTrue(upgrade(closedPort, "https://evil.example.net").startsWith("HTTP/1.1 403"));
            device.publishWith().topic("ws/t").qos(MqttQos.AT_LEAST_ONCE).payload("ok".getBytes()).send();
            assertEquals("ok", new String(publishes.receive(3, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(),
                    StandardCharsets.UTF_8));
        }
        device.disconnect();
    }

    private static String upgrade(int port, String origin) throws IOException {
        return upgrade(port, origin, "127.0.0.1:" + port);
    }

    /**
     * Sends a WebSocket upgrade for /mqtt with the {@code Host} header {@code host}, and {@code origin} unless
     * null; returns the status line and headers.
     */
    private static String upgrade(int port, String origin, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /mqtt HTTP/1.1\r\n"
                    + "Host: " + host + "\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n")
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Protocol: mqtt\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(3000);
            InputStream in = socket.getInputStream();
            StringBuilder text = new StringBuilder();
            byte[] buffer = new byte[4096];
            try {
                while (!text.toString().contains("\r\n\r\n")) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException e) {
                text.append("<no answer within 3 s>");
            }
            return text.toString();
        }
    }
}
