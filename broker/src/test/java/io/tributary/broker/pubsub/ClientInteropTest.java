package io.tributary.broker.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.tributary.broker.clients.Hive;
import io.tributary.broker.clients.RunningBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Paho 3/5 and HiveMQ 3/5 clients publish to and receive from each other at QoS 0, 1 and 2. */
class ClientInteropTest {
    private static RunningBroker broker;

    enum Kind { PAHO3, PAHO5, HIVE3, HIVE5 }

    /** What a subscriber got: topic, payload and QoS. */
    record Got(String topic, String payload, int qos) {
    }

    /** The little that the test needs from each client library. */
    interface TestClient extends AutoCloseable {
        void subscribe(String filter, int qos) throws Exception;

        void publish(String topic, String payload, int qos) throws Exception;

        BlockingQueue<Got> received();

        @Override
        void close() throws Exception;
    }

    @BeforeAll
    static void startBroker() {
        broker = RunningBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static Stream<Arguments> matrix() {
        List<Arguments> all = new ArrayList<>();
        for (Kind publisher : Kind.values()) {
            for (Kind subscriber : Kind.values()) {
                for (int qos = 0; qos <= 2; qos++) {
                    all.add(Arguments.of(publisher, subscriber, qos));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} publishes to {1} at QoS {2}")
    @MethodSource("matrix")
    void clientsExchangeMessagesAtEveryQos(Kind publisherKind, Kind subscriberKind, int qos) throws Exception {
        String id = publisherKind + "-" + subscriberKind + "-" + qos;
        String topic = "interop/" + id;
        try (TestClient sub = open(subscriberKind, "s-" + id);
             TestClient pub = open(publisherKind, "p-" + id)) {
            sub.subscribe("interop/+", qos);
            pub.publish(topic, "hello " + id, qos);
            Got got = sub.received().poll(3, TimeUnit.SECONDS);
            assertNotNull(got, "nothing received");
            assertEquals(new Got(topic, "hello " + id, qos), got);
            // Exactly once at QoS 2, and no stray duplicates at the other levels on a healthy connection.
            assertNull(sub.received().poll(100, TimeUnit.MILLISECONDS));
        }
    }

    private static TestClient open(Kind kind, String clientId) throws Exception {
        return switch (kind) {
            case PAHO3 -> new Paho3(clientId);
            case PAHO5 -> new Paho5(clientId);
            case HIVE3 -> new Hive3(clientId);
            case HIVE5 -> new Hive5(clientId);
        };
    }

    private static String uri() {
        return "tcp://127.0.0.1:" + broker.port();
    }

    private static final class Paho3 implements TestClient {
        private final org.eclipse.paho.client.mqttv3.MqttClient client;
        private final BlockingQueue<Got> received = new LinkedBlockingQueue<>();

        Paho3(String clientId) throws Exception {
            client = new org.eclipse.paho.client.mqttv3.MqttClient(uri(), clientId,
                    new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                    received.add(new Got(topic, new String(message.getPayload()), message.getQos()));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
        }

        @Override
        public void subscribe(String filter, int qos) throws Exception {
            int[] granted = client.subscribeWithResponse(new String[] {filter}, new int[] {qos}).getGrantedQos();
            assertEquals(qos, granted[0]);
        }

        @Override
        public void publish(String topic, String payload, int qos) throws Exception {
            client.publish(topic, payload.getBytes(), qos, false);
        }

        @Override
        public BlockingQueue<Got> received() {
            return received;
        }

        @Override
        public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }

    private static final class Paho5 implements TestClient {
        private final org.eclipse.paho.mqttv5.client.MqttClient client;
        private final BlockingQueue<Got> received = new LinkedBlockingQueue<>();

        Paho5(String clientId) throws Exception {
            client = new org.eclipse.paho.mqttv5.client.MqttClient(uri(), clientId,
                    new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
                    received.add(new Got(topic, new String(message.getPayload()), message.getQos()));
                }

                @Override
                public void deliveryComplete(IMqttToken token) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {
                }
            });
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options);
        }

        @Override
        public void subscribe(String filter, int qos) throws Exception {
            IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)});
            assertEquals(qos, token.getReasonCodes()[0]);
        }

        @Override
        public void publish(String topic, String payload, int qos) throws Exception {
            client.publish(topic, payload.getBytes(), qos, false);
        }

        @Override
        public BlockingQueue<Got> received() {
            return received;
        }

        @Override
        public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }

    private static final class Hive3 implements TestClient {
        private final Mqtt3BlockingClient client;
        private final BlockingQueue<Got> received = new LinkedBlockingQueue<>();

        Hive3(String clientId) {
            client = Hive.v3(broker, clientId);
            client.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> received.add(
                    new Got(p.getTopic().toString(), new String(p.getPayloadAsBytes()), p.getQos().getCode())));
        }

        @Override
        public void subscribe(String filter, int qos) {
            client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).send();
        }

        @Override
        public void publish(String topic, String payload, int qos) {
            client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload.getBytes()).send();
        }

        @Override
        public BlockingQueue<Got> received() {
            return received;
        }

        @Override
        public void close() {
            client.disconnect();
        }
    }

    private static final class Hive5 implements TestClient {
        private final Mqtt5BlockingClient client;
        private final BlockingQueue<Got> received = new LinkedBlockingQueue<>();

        Hive5(String clientId) {
            client = Hive.v5(broker, clientId);
            client.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> received.add(
                    new Got(p.getTopic().toString(), new String(p.getPayloadAsBytes()), p.getQos().getCode())));
        }

        @Override
        public void subscribe(String filter, int qos) {
            client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).send();
        }

        @Override
        public void publish(String topic, String payload, int qos) {
            client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload.getBytes()).send();
        }

        @Override
        public BlockingQueue<Got> received() {
            return received;
        }

        @Override
        public void close() {
            client.disconnect();
        }
    }
}
