package io.tributary.broker.connect;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import io.tributary.broker.clients.RunningBroker;

/** Real clients pointed at a {@link RunningBroker}. */
final class Clients {
    private Clients() {
    }

    static Mqtt5ClientBuilder v5Builder(RunningBroker broker, String clientId) {
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5().serverHost("127.0.0.1")
                .serverPort(broker.port());
        return clientId == null ? builder : builder.identifier(clientId);
    }

    static Mqtt3ClientBuilder v3Builder(RunningBroker broker, String clientId) {
        Mqtt3ClientBuilder builder = MqttClient.builder().useMqttVersion3().serverHost("127.0.0.1")
                .serverPort(broker.port());
        return clientId == null ? builder : builder.identifier(clientId);
    }

    static Mqtt5BlockingClient v5(RunningBroker broker, String clientId) {
        return v5Builder(broker, clientId).buildBlocking();
    }

    static Mqtt3BlockingClient v3(RunningBroker broker, String clientId) {
        return v3Builder(broker, clientId).buildBlocking();
    }

    static String pahoUri(RunningBroker broker) {
        return "tcp://127.0.0.1:" + broker.port();
    }
}
