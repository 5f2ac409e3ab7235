package io.tributary.broker.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tributary.broker.clients.RunningBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;

/**
 * MQTT over WebSocket (MQTT 5.0 section 6, MQTT 3.1.1 section 6) at ws://127.0.0.1:PORT/mqtt with the
 * subprotocol "mqtt" [MQTT-6.0.0-3 (5.0) / MQTT-6.0.0-4 (3.1.1)], with the HiveMQ client and Paho.
 */
class WebSocketTransportTest {

    private static Mqtt5BlockingClient hivemq5OverWebSocket(RunningBroker broker, String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id)
                .serverHost("127.0.0.1").serverPort(broker.webSocketPort())
                .webSocketConfig().serverPath("mqtt").subprotocol("mqtt").applyWebSocketConfig()
                .buildBlocking();
    }

    private static Mqtt3BlockingClient hivemq3OverWebSocket(RunningBroker broker, String id) {
        return MqttClient.builder().useMqttVersion3().identifier(id)
                .serverHost("127.0.0.1").serverPort(broker.webSocketPort())
                .webSocketConfig().serverPath("mqtt").subprotocol("mqtt").applyWebSocketConfig()
                .buildBlocking();
    }

    private static String wsUri(RunningBroker broker) {
        return "ws://127.0.0.1:" + broker.webSocketPort() + "/mqtt";
    }

    @Test
    void hivemqMqtt5ClientsRoundTripQos1OverWebSocket() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            Mqtt5BlockingClient sub = hivemq5OverWebSocket(broker, "ws5-sub");
            sub.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.subscribeWith().topicFilter("ws/5").qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt5BlockingClient pub = hivemq5OverWebSocket(broker, "ws5-pub");
                pub.connect();
                pub.publishWith().topic("ws/5").qos(MqttQos.AT_LEAST_ONCE).payload("five".getBytes()).send();
                Mqtt5Publish received = publishes.receive(3, TimeUnit.SECONDS).orElseThrow();
                assertEquals("five", new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8));
                assertEquals(MqttQos.AT_LEAST_ONCE, received.getQos());
                pub.disconnect();
            }
            sub.disconnect();
        }
    }

    @Test
    void hivemqMqtt311ClientsRoundTripQos1OverWebSocket() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            Mqtt3BlockingClient sub = hivemq3OverWebSocket(broker, "ws3-sub");
            sub.connect();
            try (Mqtt3BlockingClient.Mqtt3Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.subscribeWith().topicFilter("ws/3").qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt3BlockingClient pub = hivemq3OverWebSocket(broker, "ws3-pub");
                pub.connect();
                pub.publishWith().topic("ws/3").qos(MqttQos.AT_LEAST_ONCE).payload("three".getBytes()).send();
                Mqtt3Publish received = publishes.receive(3, TimeUnit.SECONDS).orElseThrow();
                assertEquals("three", new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8));
                assertEquals(MqttQos.AT_LEAST_ONCE, received.getQos());
                pub.disconnect();
            }
            sub.disconnect();
        }
    }

    @Test
    void pahoMqtt311ClientRoundTripsQos1OverWebSocket() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            org.eclipse.paho.client.mqttv3.MqttClient client = new org.eclipse.paho.client.mqttv3.MqttClient(
                    wsUri(broker), "paho3-ws", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
            BlockingQueue<org.eclipse.paho.client.mqttv3.MqttMessage> received = new LinkedBlockingQueue<>();
            client.subscribe("paho/3", 1, (topic, message) -> received.add(message));
            client.publish("paho/3", "v3 over ws".getBytes(StandardCharsets.UTF_8), 1, false);
            org.eclipse.paho.client.mqttv3.MqttMessage message = received.poll(3, TimeUnit.SECONDS);
            assertNotNull(message, "Paho 3.1.1 over WebSocket received nothing");
            assertEquals("v3 over ws", new String(message.getPayload(), StandardCharsets.UTF_8));
            assertEquals(1, message.getQos());
            client.disconnect();
            client.close();
        }
    }

    @Test
    void pahoMqtt5ClientRoundTripsQos1OverWebSocket() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(
                    wsUri(broker), "paho5-ws", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options);
            BlockingQueue<org.eclipse.paho.mqttv5.common.MqttMessage> received = new LinkedBlockingQueue<>();
            client.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                    new org.eclipse.paho.mqttv5.common.MqttSubscription("paho/5", 1)},
                    new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(topic, m) -> received.add(m)});
            client.publish("paho/5", "v5 over ws".getBytes(StandardCharsets.UTF_8), 1, false);
            org.eclipse.paho.mqttv5.common.MqttMessage message = received.poll(3, TimeUnit.SECONDS);
            assertNotNull(message, "Paho 5 over WebSocket received nothing");
            assertEquals("v5 over ws", new String(message.getPayload(), StandardCharsets.UTF_8));
            assertEquals(1, message.getQos());
            client.disconnect();
            client.close();
        }
    }

    @Test
    void webSocketAndTcpClientsExchangeMessagesBothWays() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            Mqtt5BlockingClient ws = hivemq5OverWebSocket(broker, "ws-side");
            ws.connect();
            org.eclipse.paho.client.mqttv3.MqttClient tcp = new org.eclipse.paho.client.mqttv3.MqttClient(
                    "tcp://127.0.0.1:" + broker.port(), "tcp-side", new MemoryPersistence());
            tcp.connect();
            BlockingQueue<String> atTcp = new LinkedBlockingQueue<>();
            tcp.subscribe("to/tcp", 1, (topic, m) -> atTcp.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            try (Mqtt5BlockingClient.Mqtt5Publishes atWs = ws.publishes(MqttGlobalPublishFilter.ALL)) {
                ws.subscribeWith().topicFilter("to/ws").qos(MqttQos.AT_LEAST_ONCE).send();

                ws.publishWith().topic("to/tcp").qos(MqttQos.AT_LEAST_ONCE).payload("from ws".getBytes()).send();
                assertEquals("from ws", atTcp.poll(3, TimeUnit.SECONDS));

                tcp.publish("to/ws", "from tcp".getBytes(StandardCharsets.UTF_8), 1, false);
                Mqtt5Publish received = atWs.receive(3, TimeUnit.SECONDS).orElseThrow();
                assertEquals("from tcp", new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            ws.disconnect();
            tcp.disconnect();
            tcp.close();
        }
    }

    @Test
    void upgradeRequestForAnotherPathIsRefusedPromptly() throws Exception {
        // Only /mqtt is an MQTT endpoint: a handshake elsewhere must be answered with an HTTP error (or the
        // connection closed), not left hanging until the CONNECT timeout.
        try (RunningBroker broker = RunningBroker.start(); Socket socket = new Socket("127.0.0.1", broker.webSocketPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /wrong HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + broker.webSocketPort() + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Protocol: mqtt\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readWithin(socket, 3000);
            assertTrue(answer.equals("<closed>") || (answer.startsWith("HTTP/1.1 ") && !answer.startsWith("HTTP/1.1 101")),
                    "a wrong path must be refused within 3 s; got: " + answer);
        }
    }

    @Test
    void upgradeRequestForMqttPathIsAcceptedWithSubprotocolMqtt() throws Exception {
        // [MQTT-6.0.0-4] (3.1.1) / [MQTT-6.0.0-5] (5.0): the server selects the subprotocol "mqtt".
        try (RunningBroker broker = RunningBroker.start(); Socket socket = new Socket("127.0.0.1", broker.webSocketPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /mqtt HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + broker.webSocketPort() + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Protocol: mqtt\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readWithin(socket, 3000);
            assertTrue(answer.startsWith("HTTP/1.1 101"), answer);
            assertTrue(answer.toLowerCase().contains("sec-websocket-protocol: mqtt"), answer);
        }
    }

    /** What the server sends within {@code millis} (up to the end of the HTTP headers), or "<closed>". */
    private static String readWithin(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            while (!text.toString().contains("\r\n\r\n")) {
                int n = in.read(buffer);
                if (n < 0) {
                    return text.length() == 0 ? "<closed>" : text.toString();
                }
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            return text.length() == 0 ? "<nothing within " + millis + " ms>" : text.toString();
        } catch (IOException e) {
            return "<closed>";
        }
        return text.toString();
    }
}
