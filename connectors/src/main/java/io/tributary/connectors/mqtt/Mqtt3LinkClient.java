package io.tributary.connectors.mqtt;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The MQTT 3.1.1 client of a link. The same acknowledgement rules hold (PUBACK, or PUBREC at QoS 2, only once the
 * routes have the message; a publish completes on the broker's), but 3.1.1 has less to carry them:
 * <ul>
 *   <li>no properties: user properties, content type, response topic, correlation data, payload format and message
 *       expiry are dropped on the way out and absent on the way in, and so is the hop count ({@link LinkHops}), so
 *       only the loop check of the configuration stops a circle;</li>
 *   <li>no No Local: the link gets back what it publishes on a topic it also reads;</li>
 *   <li>no retain handling: each reconnect subscribes again, and the broker sends its retained messages again;</li>
 *   <li>no Receive Maximum: the broker's own in-flight limit bounds what is unacknowledged (Mosquitto's
 *       {@code max_inflight_messages}, 20 by default);</li>
 *   <li>no session expiry: a session that outlives the connection ({@code session-expiry} above 0) is
 *       {@code cleanSession=false}, and the broker decides how long it keeps it (Mosquitto's
 *       {@code persistent_client_expiration}).</li>
 * </ul>
 * Shared subscriptions are sent as {@code $share/GROUP/filter}; brokers that do not know them on 3.1.1 take that for
 * a plain filter or refuse it.
 */
final class Mqtt3LinkClient implements LinkClient {

    private final LinkSettings settings;
    private final Mqtt3AsyncClient client;

    Mqtt3LinkClient(Mqtt3ClientBuilder builder, LinkSettings settings, Incoming incoming) {
        this.settings = settings;
        if (settings.username().isPresent()) {
            var auth = Mqtt3SimpleAuth.builder().username(settings.username().get());
            builder = builder.simpleAuth(settings.password().map(auth::password).orElse(auth).build());
        }
        client = builder.buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, publish -> incoming.take(publish.getTopic().toString(),
                () -> toMessage(publish), publish::acknowledge), true);
    }

    @Override
    public void connect() {
        client.connectWith()
                .cleanSession(settings.sessionExpiry().isZero())
                .keepAlive((int) settings.keepAlive().toSeconds())
                .send();
    }

    @Override
    public CompletableFuture<Optional<String>> subscribe(LinkSubscription subscription) {
        return client.subscribeWith()
                .topicFilter(subscription.subscribedFilter())
                .qos(MqttQos.fromCode(subscription.qos().value()))
                .send()
                .thenApply(subAck -> subAck.getReturnCodes().stream().anyMatch(Mqtt3SubAckReturnCode::isError)
                        ? Optional.of(subAck.getReturnCodes().toString()) : Optional.empty());
    }

    @Override
    public Supplier<CompletableFuture<Void>> prepare(Message message) {
        Mqtt3Publish publish = Mqtt3Publish.builder()
                .topic(message.topic())
                .qos(MqttQos.fromCode(message.qos().value()))
                .payload(message.payload())
                .retain(message.retain())
                .build();
        return () -> client.publish(publish).thenApply(sent -> null);
    }

    @Override
    public boolean connected() {
        return client.getState() == MqttClientState.CONNECTED;
    }

    /** Never: 3.1.1 has no Receive Maximum; the broker's own in-flight limit applies. */
    @Override
    public int adaptReceiveMaximum(MqttClientDisconnectedContext context) {
        return 0;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return client.disconnect();
    }

    /** The message as the routes take it: like one from an MQTT 5 broker that set no properties. */
    static Message toMessage(Mqtt3Publish publish) {
        return new Message(publish.getTopic().toString(), publish.getPayloadAsBytes(),
                QoS.of(publish.getQos().getCode()), publish.isRetain(), MessageProperties.NONE, null,
                System.currentTimeMillis());
    }
}
