package io.tributary.it.crash;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A device with a persistent session (MQTT 5, session expiry one hour, clean start only the very first time)
 * that subscribes once and then comes and goes. One client object for its whole life, so that the client's
 * side of the session (QoS 2 packet ids it already received) survives reconnects, as the spec requires of a
 * client that resumes a session. Counts every payload it receives.
 */
final class PersistentDevice {
    /** The device's Receive Maximum: at most this many QoS 1 and 2 messages in flight to it at once. */
    static final int RECEIVE_MAXIMUM = 20;

    private final String id;
    private final String filter;
    private final MqttQos qos;
    private final Mqtt5AsyncClient client;
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final AtomicLong lastReceivedNanos = new AtomicLong(System.nanoTime());
    private boolean subscribed;
    private int drops;

    PersistentDevice(String id, int port, String filter, MqttQos qos) {
        this.id = id;
        this.filter = filter;
        this.qos = qos;
        this.client = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(port)
                .buildAsync();
        // Registered once: the client keeps its global flows across connections.
        client.publishes(MqttGlobalPublishFilter.ALL, publish -> {
            received.computeIfAbsent(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8),
                    k -> new AtomicInteger()).incrementAndGet();
            lastReceivedNanos.set(System.nanoTime());
        });
    }

    /** Connects (resuming the session); subscribes on the first connection. Returns whether a session was present. */
    boolean connect() {
        Mqtt5ConnAck connAck = client.connectWith().cleanStart(!subscribed).sessionExpiryInterval(3600)
                .restrictions().receiveMaximum(RECEIVE_MAXIMUM).applyRestrictions()
                .send().orTimeout(20, TimeUnit.SECONDS).join();
        if (!subscribed) {
            client.subscribeWith().topicFilter(filter).qos(qos).send().orTimeout(20, TimeUnit.SECONDS).join();
            subscribed = true;
        }
        return connAck.isSessionPresent();
    }

    /**
     * Connects again after the connection dropped while the broker ran (the client closed it over a protocol
     * error, say), as a device would; counted in {@link #drops()}.
     */
    void reconnectAfterDrop() {
        drops++;
        try {
            connect();
        } catch (RuntimeException e) {
            // the next check tries again
        }
    }

    /** How often {@link #reconnectAfterDrop()} was needed. */
    int drops() {
        return drops;
    }

    /** A normal DISCONNECT: the session stays on the broker for the next connection. */
    void disconnect() {
        if (client.getState().isConnected()) {
            client.disconnect().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    boolean isConnected() {
        return client.getState().isConnected();
    }

    String id() {
        return id;
    }

    /** How many of {@code payloads} it has not received yet. */
    List<String> missing(Collection<String> payloads) {
        return payloads.stream().filter(p -> !received.containsKey(p)).toList();
    }

    /** Receptions beyond the first, summed over all payloads. */
    int duplicates() {
        return received.values().stream().mapToInt(c -> c.get() - 1).sum();
    }

    int distinct() {
        return received.size();
    }

    /** Milliseconds since it last received anything. */
    long quietMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastReceivedNanos.get());
    }
}
