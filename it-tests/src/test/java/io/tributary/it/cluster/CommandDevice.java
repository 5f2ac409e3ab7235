package io.tributary.it.cluster;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A device that receives commands on {@code devices/<id>/commands} at QoS 1 with a persistent session (MQTT 5,
 * expiry one hour), connected to one node's port, keeping every payload in the order it arrived. One client object
 * for its whole life, so that it resumes its session on each connect.
 */
final class CommandDevice {
    private final String id;
    private final Mqtt5AsyncClient client;
    private final List<String> received = new ArrayList<>();
    private boolean subscribed;

    CommandDevice(String id, int port) {
        this.id = id;
        this.client = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(port)
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, publish -> {
            synchronized (received) {
                received.add(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
        });
    }

    String id() {
        return id;
    }

    /** Connects, resuming its session after the first time; subscribes on the first connection. */
    void connect() {
        client.connectWith().cleanStart(!subscribed).sessionExpiryInterval(3600).send()
                .orTimeout(20, TimeUnit.SECONDS).join();
        if (!subscribed) {
            client.subscribeWith().topicFilter("devices/" + id + "/commands").qos(MqttQos.AT_LEAST_ONCE).send()
                    .orTimeout(20, TimeUnit.SECONDS).join();
            subscribed = true;
        }
    }

    void disconnect() {
        if (client.getState().isConnected()) {
            client.disconnect().orTimeout(20, TimeUnit.SECONDS).join();
        }
    }

    boolean isConnected() {
        return client.getState().isConnected();
    }

    /** Every payload so far, in arrival order, duplicates included. */
    List<String> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The payloads received at least once. */
    Set<String> distinct() {
        return new LinkedHashSet<>(received());
    }

    /** How many payloads arrived more than once. */
    int duplicates() {
        List<String> all = received();
        return all.size() - new LinkedHashSet<>(all).size();
    }
}
