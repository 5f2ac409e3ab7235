package io.tributary.broker.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void qos1MessageReachesSubscriber() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            Mqtt5BlockingClient sub = MqttClient.builder().useMqttVersion5().identifier("sub")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            sub.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
                sub.subscribeWith().topicFilter("a/#").qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt5BlockingClient pub = MqttClient.builder().useMqttVersion5().identifier("pub")
                        .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
                pub.connect();
                pub.publishWith().topic("a/b").qos(MqttQos.AT_LEAST_ONCE).payload("hello".getBytes()).send();
                Mqtt5Publish received = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
                assertEquals("a/b", received.getTopic().toString());
                assertEquals("hello", new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8));
                pub.disconnect();
            }
            sub.disconnect();
        }
    }
}
