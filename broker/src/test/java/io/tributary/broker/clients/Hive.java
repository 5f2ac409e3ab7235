package io.tributary.broker.clients;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;

/** HiveMQ MQTT client builders pointed at a {@link RunningBroker}. */
public final class Hive {
    private Hive() {
    }

    /** A connected MQTT 5 client with a clean start. */
    public static Mqtt5BlockingClient v5(RunningBroker broker, String clientId) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
        client.connect();
        return client;
    }

    /** A connected MQTT 3.1.1 client with a clean session. */
    public static Mqtt3BlockingClient v3(RunningBroker broker, String clientId) {
        Mqtt3BlockingClient client = MqttClient.builder().useMqttVersion3().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
        client.connect();
        return client;
    }
}
