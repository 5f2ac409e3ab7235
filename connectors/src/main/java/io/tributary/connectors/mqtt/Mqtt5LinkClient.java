package io.tributary.connectors.mqtt;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
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

    /** The most a Receive Maximum can be. */
    static final int MAX_RECEIVE_MAXIMUM = 65_535;

    private final LinkSettings settings;
    private final Mqtt5AsyncClient client;
    /** What the next CONNECT announces: {@code max-inflight}, or more after the broker overran it. */
    private int receiveMaximum;

    Mqtt5LinkClient(Mqtt5ClientBuilder builder, LinkSettings settings, Incoming incoming) {
        this.settings = settings;
        this.receiveMaximum = settings.maxInFlight();
        if (settings.username().isPresent() || settings.password().isPresent()) {
            builder = builder.simpleAuth(simpleAuth(settings));
        }
        client = builder.buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, publish -> incoming.take(publish.getTopic().toString(),
                () -> LinkMessages.toMessage(publish), publish::acknowledge), true);
    }

    @Override
    public void connect() {
        client.connect(connect(settings.maxInFlight()));
    }

    private Mqtt5Connect connect(int receiveMaximum) {
        return Mqtt5Connect.builder()
                .cleanStart(false)
                .sessionExpiryInterval(settings.sessionExpiry().toSeconds())
                .keepAlive((int) settings.keepAlive().toSeconds())
                .restrictions().receiveMaximum(receiveMaximum).sendMaximum(settings.maxInFlight())
                .applyRestrictions()
                .build();
    }

    /**
     * Doubles the Receive Maximum of the next CONNECT (up to 65535) when the client dropped the connection because the
     * broker sent more unacknowledged messages than it allowed, and goes back to {@code max-inflight} at the next
     * disconnect for any other reason. Mosquitto 2.0.11 overruns it after a restart from its persistence file (as if
     * it sent the session's in-flight list again and then as many queued ones as Receive Maximum allows); the client
     * disconnects at the first message past it, and without this at every reconnect, since no acknowledgement goes
     * out on a connection it dropped, so the overrun only grows: in LinkSurvivesBrokerKillsTest the link needed up to
     * 8 times {@code max-inflight} (800) after some restarts, and then held. What waits with the routes is then bounded
     * by that larger number until the next reconnect.
     */
    @Override
    public int adaptReceiveMaximum(MqttClientDisconnectedContext context) {
        if (!(context instanceof Mqtt5ClientDisconnectedContext mqtt5)) {
            return 0;
        }
        int next;
        if (context.getSource() == MqttDisconnectSource.CLIENT
                && context.getCause() instanceof Mqtt5DisconnectException disconnect
                && disconnect.getMqttMessage().getReasonCode() == Mqtt5DisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED) {
            next = (int) Math.min(MAX_RECEIVE_MAXIMUM, 2L * receiveMaximum);
        } else {
            next = settings.maxInFlight();
        }
        if (next == receiveMaximum) {
            return 0;
        }
        receiveMaximum = next;
        mqtt5.getReconnector().connect(connect(next));
        return next;
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
