package io.tributary.bench.load;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** {@link LoadClient} over MQTT 5.0, on the HiveMQ MQTT client's async API. */
final class Mqtt5LoadClient implements LoadClient {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Mqtt5AsyncClient client;
    private final DisconnectWatch watch;

    /** @param watch the disconnected listener of {@code client} */
    Mqtt5LoadClient(Mqtt5AsyncClient client, DisconnectWatch watch) {
        this.client = client;
        this.watch = watch;
    }

    @Override
    public void connect(Duration timeout) throws Exception {
        client.connectWith().cleanStart(true).sessionExpiryInterval(0).keepAlive(60).send()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, int qos, ByteBuffer payload) {
        return client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).send()
                .thenApply(result -> {
                    // A PUBACK with an error reason code completes the send normally, with the error inside.
                    result.getError().ifPresent(error -> {
                        throw new CompletionException(error);
                    });
                    return null;
                });
    }

    @Override
    public void subscribe(String filter, int qos, Consumer<ByteBuffer> onMessage, Duration timeout) throws Exception {
        Mqtt5SubAck subAck = client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos))
                .callback(publish -> onMessage.accept(publish.getPayload().orElse(EMPTY)))
                .send().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        DisconnectWatch.requireGranted(filter,
                subAck.getReasonCodes().stream().filter(Mqtt5SubAckReasonCode::isError).toList());
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
