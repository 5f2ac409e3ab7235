package io.tributary.connectors.mqtt;

import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import io.tributary.broker.Message;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What {@link HiveMqLink} asks of the HiveMQ client, whose MQTT 5 and MQTT 3.1.1 APIs differ in every type:
 * {@link Mqtt5LinkClient} and {@link Mqtt3LinkClient}. Each registers one flow for every incoming message, with manual
 * acknowledgement, before its first connect (hivemq-mqtt-client #254).
 */
interface LinkClient {

    /** Where each incoming message goes: its topic, the message (reading it may fail), and how to acknowledge it. */
    @FunctionalInterface
    interface Incoming {
        void take(String topic, Supplier<Message> message, Runnable acknowledge);
    }

    /** Sends a CONNECT that resumes the session (or starts a clean one when the session does not outlive it). */
    void connect();

    /**
     * Subscribes; completes with what the broker refused (empty when it granted the subscription), or fails when no
     * SUBACK came.
     */
    CompletableFuture<Optional<String>> subscribe(LinkSubscription subscription);

    /**
     * The PUBLISH for {@code message}, made now and sent when the result is called; the future completes on the
     * broker's acknowledgement and fails with its refusal or the client's error.
     *
     * @throws IllegalArgumentException if the topic or a property is not valid in MQTT
     */
    Supplier<CompletableFuture<Void>> prepare(Message message);

    /**
     * Whether the client says it is connected; otherwise it is connecting, waiting to reconnect, or stopped.
     */
    boolean connected();

    /**
     * Called as the connection ended, before the client reconnects: decides the Receive Maximum of the next CONNECT.
     *
     * @return the Receive Maximum the next CONNECT announces when this changed it, else 0
     */
    int adaptReceiveMaximum(MqttClientDisconnectedContext context);

    /** Sends DISCONNECT, keeping the session; fails when not connected. */
    CompletableFuture<Void> disconnect();
}
