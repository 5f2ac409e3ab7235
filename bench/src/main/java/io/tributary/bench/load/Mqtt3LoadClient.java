package io.tributary.bench.load;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** {@link LoadClient} over MQTT 3.1.1, on the HiveMQ MQTT client's async API. */
final class Mqtt3LoadClient implements LoadClient {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Mqtt3AsyncClient client;
    private final DisconnectWatch watch = new DisconnectWatch();

    Mqtt3LoadClient(String clientId, String host, int port, MqttClientExecutorConfig executors) {
        this.client = MqttClient.builder()
                .useMqttVersion3()
                .identifier(clientId)
                .serverHost(host)
                .serverPort(port)
                .executorConfig(executors)
                .addDisconnectedListener(watch)
                .buildAsync();
    }

    @Override
    public void connect(Duration timeout) throws Exception {
        client.connectWith().cleanSession(true).keepAlive(60).send().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, int qos, ByteBuffer payload) {
        return client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).send()
                .thenApply(published -> null);
    }

    @Override
    public void subscribe(String filter, int qos, Consumer<ByteBuffer> onMessage, Duration timeout) throws Exception {
        Mqtt3SubAck subAck = client.subscribeWith()
                .topicFilter(filter)
                .qos(MqttQos.fromCode(qos))
                .callback(publish -> onMessage.accept(publish.getPayload().orElse(EMPTY)))
                .send()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (Mqtt3SubAckReturnCode code : subAck.getReturnCodes()) {
            if (code.isError()) {
                throw new IllegalStateException("subscription to " + filter + " refused: " + code);
            }
        }
    }

    @Override
    public Throwable unexpectedDisconnect() {
        return watch.unexpected();
    }

    @Override
    public void close() {
        watch.close(client::disconnect);
    }
}
