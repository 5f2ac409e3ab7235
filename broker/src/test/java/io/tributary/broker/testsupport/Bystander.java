package io.tributary.broker.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A well-behaved HiveMQ client, connected before a misbehaving one acts, that proves afterwards it can
 * still publish and receive: one bad connection must not harm others.
 */
public final class Bystander implements AutoCloseable {
    private final Mqtt5BlockingClient client;
    private final Mqtt5BlockingClient.Mqtt5Publishes publishes;
    private final String topic;
    private final AtomicInteger sequence = new AtomicInteger();

    public Bystander(int port, String name) {
        client = MqttClient.builder().useMqttVersion5().identifier(name)
                .serverHost("127.0.0.1").serverPort(port).buildBlocking();
        client.connect();
        publishes = client.publishes(MqttGlobalPublishFilter.ALL);
        topic = "bystander/" + name;
        client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        assertStillServed();
    }

    /** Publishes a QoS 1 message to itself and fails unless it comes back within 3 s. */
    public void assertStillServed() {
        String payload = "ping-" + sequence.incrementAndGet();
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
        try {
            Optional<Mqtt5Publish> received = publishes.receive(3, TimeUnit.SECONDS);
            assertEquals(payload, received.map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .orElse("<nothing within 3 s>"), "the bystander must keep publishing and receiving");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        publishes.close();
        if (client.getState().isConnected()) {
            client.disconnect();
        }
    }
}
