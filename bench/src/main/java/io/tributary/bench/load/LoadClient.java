package io.tributary.bench.load;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The few MQTT operations the driver needs, the same for MQTT 3.1.1 and 5.0, so that scenarios do not care which
 * version runs.
 */
public interface LoadClient extends AutoCloseable {

    /** Connects with a clean session (clean start, no session expiry) and waits for CONNACK. */
    void connect(Duration timeout) throws Exception;

    /**
     * Publishes once. The future completes when the broker has accepted the message (PUBACK at QoS 1, written to the
     * socket at QoS 0) and completes exceptionally when it was rejected (an error reason code) or the connection broke.
     */
    CompletableFuture<Void> publish(String topic, int qos, ByteBuffer payload);

    /**
     * Subscribes and waits for a successful SUBACK. {@code onMessage} runs on the client's I/O thread with a
     * read-only payload valid only during the call; at QoS 1 the PUBACK goes out after it returns.
     */
    void subscribe(String filter, int qos, Consumer<ByteBuffer> onMessage, Duration timeout) throws Exception;

    /** The reason the broker or network closed this client's connection, or null while it never did. */
    Throwable unexpectedDisconnect();

    /** Sends DISCONNECT if connected and releases the client; never throws. */
    @Override
    void close();

    /** A note for each client the broker or network disconnected: {@code a <role> was disconnected: <reason>}. */
    static List<String> disconnections(List<LoadClient> clients, String role) {
        List<String> notes = new ArrayList<>();
        for (LoadClient client : clients) {
            if (client.unexpectedDisconnect() != null) {
                notes.add("a " + role + " was disconnected: " + client.unexpectedDisconnect());
            }
        }
        return notes;
    }

    /** A client for {@code host:port} with the MQTT version and I/O threads of {@code settings}. */
    static LoadClient create(LoadSettings settings, String clientId, String host, int port) {
        MqttClientExecutorConfig executors = settings.clientIoThreads() == 0 ? MqttClientExecutorConfig.builder().build()
                : MqttClientExecutorConfig.builder().nettyThreads(settings.clientIoThreads()).build();
        DisconnectWatch watch = new DisconnectWatch();
        MqttClientBuilder builder = MqttClient.builder().identifier(clientId).serverHost(host).serverPort(port)
                .executorConfig(executors).addDisconnectedListener(watch);
        return settings.mqttVersion() == 5 ? new Mqtt5LoadClient(builder.useMqttVersion5().buildAsync(), watch)
                : new Mqtt3LoadClient(builder.useMqttVersion3().buildAsync(), watch);
    }
}
