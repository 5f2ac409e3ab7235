package io.tributary.broker.mosquitto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tributary.broker.clients.RunningBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Mosquitto command-line clients, 3.1.1 and 5.0, against the broker, with HiveMQ on the other side. */
class MosquittoClientsTest {

    @BeforeAll
    static void requireMosquittoClients() {
        MosquittoProcess.assumeInstalled("mosquitto_pub");
        MosquittoProcess.assumeInstalled("mosquitto_sub");
    }

    private static Mqtt5BlockingClient hivemq(RunningBroker broker, String id) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(id)
                .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
        client.connect();
        return client;
    }

    @ParameterizedTest(name = "{0} QoS {1}")
    @CsvSource({"mqttv311,0", "mqttv311,1", "mqttv311,2", "mqttv5,0", "mqttv5,1", "mqttv5,2"})
    void mosquittoPubMessageReachesHivemqSubscriberAtItsQos(String version, int qos) throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            Mqtt5BlockingClient sub = hivemq(broker, "hivemq-sub");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.subscribeWith().topicFilter("mosq/#").qos(MqttQos.EXACTLY_ONCE).send();
                MosquittoProcess.publish(broker.port(), "-V", version, "-q", Integer.toString(qos),
                        "-t", "mosq/pub", "-m", "hello " + version);
                Mqtt5Publish received = publishes.receive(3, TimeUnit.SECONDS).orElseThrow(
                        () -> new AssertionError("HiveMQ subscriber got nothing from mosquitto_pub"));
                assertEquals("mosq/pub", received.getTopic().toString());
                assertEquals("hello " + version, new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8));
                // Delivered at the lower of publish and subscription QoS [MQTT-3.8.4-8 (5.0)].
                assertEquals(qos, received.getQos().getCode());
            }
            sub.disconnect();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void mosquittoSubWithCountReceivesExactlyThatManyMessagesFromHivemqInOrder(String version) throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             MosquittoProcess sub = MosquittoProcess.subscribed(broker.port(), "-V", version, "-q", "1",
                     "-t", "count/#", "-C", "5")) {
            Mqtt5BlockingClient pub = hivemq(broker, "hivemq-pub");
            for (int i = 1; i <= 5; i++) {
                pub.publishWith().topic("count/" + i).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
            }
            for (int i = 1; i <= 5; i++) {
                String[] message = sub.nextMessage(3);
                assertEquals("count/" + i, message[0]);
                assertEquals("1", message[1], "QoS");
                assertEquals("m" + i, message[4]);
            }
            // -C 5: it exits by itself after the fifth message, which it only does if it got exactly five.
            sub.assertExitsZeroWithin(3);
            pub.disconnect();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void retainedMessageFromMosquittoPubIsDeliveredToLaterMosquittoSubWithRetainSet(String version) throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            MosquittoProcess.publish(broker.port(), "-V", version, "-q", "1", "-r", "-t", "state/lamp", "-m", "on");
            try (MosquittoProcess sub = MosquittoProcess.subscribed(broker.port(), "-V", version, "-q", "1",
                    "-t", "state/#", "-C", "1")) {
                String[] message = sub.nextMessage(3);
                assertEquals("state/lamp", message[0]);
                // A retained message sent because of a new subscription has RETAIN set [MQTT-3.3.1-8 (3.1.1)].
                assertEquals("1", message[2], "retained flag");
                assertEquals("on", message[4]);
                sub.assertExitsZeroWithin(3);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void mosquittoPubMqtt5UserPropertyArrivesAtHivemqMqtt5Subscriber() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            Mqtt5BlockingClient sub = hivemq(broker, "hivemq-sub");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.subscribeWith().topicFilter("props").qos(MqttQos.AT_LEAST_ONCE).send();
                MosquittoProcess.publish(broker.port(), "-V", "mqttv5", "-q", "1", "-t", "props", "-m", "p",
                        "-D", "publish", "user-property", "k", "v");
                Mqtt5Publish received = publishes.receive(3, TimeUnit.SECONDS).orElseThrow();
                // The server forwards User Properties unaltered [MQTT-3.3.2-17, MQTT-3.3.2-18].
                List<? extends Mqtt5UserProperty> properties = received.getUserProperties().asList();
                assertEquals(1, properties.size(), properties.toString());
                assertEquals("k", properties.get(0).getName().toString());
                assertEquals("v", properties.get(0).getValue().toString());
            }
            sub.disconnect();
        }
    }

    @org.junit.jupiter.api.Test
    void hivemqUserPropertyArrivesAtMosquittoSubMqtt5() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             MosquittoProcess sub = MosquittoProcess.subscribed(broker.port(), "-V", "mqttv5", "-q", "1",
                     "-t", "props", "-C", "1")) {
            Mqtt5BlockingClient pub = hivemq(broker, "hivemq-pub");
            pub.publishWith().topic("props").qos(MqttQos.AT_LEAST_ONCE).payload("p".getBytes())
                    .userProperties().add("colour", "blue").applyUserProperties().send();
            String[] message = sub.nextMessage(3);
            assertTrue(message[3].contains("colour:blue"), "user properties printed: " + message[3]);
            sub.assertExitsZeroWithin(3);
            pub.disconnect();
        }
    }

    @org.junit.jupiter.api.Test
    void mosquittoPubQos2BinaryPayloadArrivesByteForByte() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            Mqtt5BlockingClient sub = hivemq(broker, "hivemq-sub");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.subscribeWith().topicFilter("bin").qos(MqttQos.EXACTLY_ONCE).send();
                java.nio.file.Path file = java.nio.file.Files.createTempFile("payload", ".bin");
                byte[] payload = new byte[3000];
                for (int i = 0; i < payload.length; i++) {
                    payload[i] = (byte) i;
                }
                java.nio.file.Files.write(file, payload);
                try {
                    MosquittoProcess.publish(broker.port(), "-V", "mqttv311", "-q", "2", "-t", "bin", "-f",
                            file.toString());
                } finally {
                    java.nio.file.Files.deleteIfExists(file);
                }
                Mqtt5Publish received = publishes.receive(3, TimeUnit.SECONDS).orElseThrow();
                assertArrayEquals(payload, received.getPayloadAsBytes());
            }
            sub.disconnect();
        }
    }
}
