package io.tributary.bench.load;

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
    private final DisconnectWatch watch;

    /** @param watch the disconnected listener of {@code client} */
    Mqtt3LoadClient(Mqtt3AsyncClient client, DisconnectWatch watch) {
        this.client = client;
        this.watch = watch;
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
        Mqtt3SubAck subAck = client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos))
                .callback(publish -> onMessage.accept(publish.getPayload().orElse(EMPTY)))
                .send().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        DisconnectWatch.requireGranted(filter,
                subAck.getReturnCodes().stream().filter(Mqtt3SubAckReturnCode::isError).toList());
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
