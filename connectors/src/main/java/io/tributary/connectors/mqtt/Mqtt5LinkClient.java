package io.tributary.connectors.mqtt;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.tributary.broker.Message;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The MQTT 5 client of a link: a session kept for {@code session-expiry}, Receive Maximum and the send maximum at
 * {@code max-inflight}, No Local on every subscription that is not shared, retained messages only for a new
 * subscription, and every property of a message carried both ways ({@link LinkMessages}).
 */
final class Mqtt5LinkClient implements LinkClient {

    private final LinkSettings settings;
    private final Mqtt5AsyncClient client;

    Mqtt5LinkClient(Mqtt5ClientBuilder builder, LinkSettings settings, Incoming incoming) {
        this.settings = settings;
        if (settings.username().isPresent() || settings.password().isPresent()) {
            builder = builder.simpleAuth(simpleAuth(settings));
        }
        client = builder.buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, publish -> incoming.take(publish.getTopic().toString(),
                () -> LinkMessages.toMessage(publish), publish::acknowledge), true);
    }

    @Override
    public void connect() {
        client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(settings.sessionExpiry().toSeconds())
                .keepAlive((int) settings.keepAlive().toSeconds())
                .restrictions().receiveMaximum(settings.maxInFlight()).sendMaximum(settings.maxInFlight())
                .applyRestrictions()
                .send();
    }

    @Override
    public CompletableFuture<Optional<String>> subscribe(LinkSubscription subscription) {
        boolean shared = subscription.sharedGroup().isPresent();
        return client.subscribeWith()
                .topicFilter(subscription.subscribedFilter())
                .qos(MqttQos.fromCode(subscription.qos().value()))
                // No Local is a protocol error on a shared subscription [MQTT-3.8.3-4].
                .noLocal(!shared)
                .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST)
                .send()
                .thenApply(subAck -> subAck.getReasonCodes().stream().anyMatch(Mqtt5SubAckReasonCode::isError)
                        ? Optional.of(subAck.getReasonCodes().toString()) : Optional.empty());
    }

    @Override
    public Supplier<CompletableFuture<Void>> prepare(Message message) {
        Mqtt5Publish publish = LinkMessages.toPublish(message);
        return () -> client.publish(publish).thenCompose(result -> result.getError()
                .map(CompletableFuture::<Void>failedFuture).orElseGet(() -> CompletableFuture.completedFuture(null)));
    }

    @Override
    public boolean connected() {
        return client.getState() == MqttClientState.CONNECTED;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return client.disconnect();
    }

    private static Mqtt5SimpleAuth simpleAuth(LinkSettings settings) {
        Mqtt5SimpleAuthBuilder builder = Mqtt5SimpleAuth.builder();
        Mqtt5SimpleAuthBuilder.Complete complete = settings.username().map(builder::username).orElse(null);
        if (settings.password().isPresent()) {
            complete = (complete == null ? builder : complete).password(settings.password().get());
        }
        return complete.build();
    }
}
