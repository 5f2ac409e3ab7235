package io.tributary.connectors.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import java.nio.ByteBuffer;

/**
 * Converts between the client's PUBLISH and the broker-api {@link Message} the routes bind to their headers, with
 * every MQTT 5 property a message carries end to end: payload format, message expiry (what remains of it), content
 * type, response topic, correlation data and user properties. Subscription identifiers and topic aliases belong to
 * one connection and are not carried.
 */
final class LinkMessages {

    private LinkMessages() {
    }

    /** The message as the routes take it: the same as one from the built-in broker, without a publisher. */
    static Message toMessage(Mqtt5Publish publish) {
        MessageProperties properties = new MessageProperties(
                publish.getPayloadFormatIndicator().filter(Mqtt5PayloadFormatIndicator.UTF_8::equals).isPresent(),
                publish.getMessageExpiryInterval().isPresent() ? publish.getMessageExpiryInterval().getAsLong() : null,
                publish.getContentType().map(Object::toString).orElse(null),
                publish.getResponseTopic().map(Object::toString).orElse(null),
                publish.getCorrelationData().map(LinkMessages::bytes).orElse(null),
                publish.getUserProperties().asList().stream()
                        .map(p -> new UserProperty(p.getName().toString(), p.getValue().toString())).toList());
        return new Message(publish.getTopic().toString(), publish.getPayloadAsBytes(),
                QoS.of(publish.getQos().getCode()), publish.isRetain(), properties, null, System.currentTimeMillis());
    }

    /**
     * The PUBLISH for {@code message}.
     *
     * @throws IllegalArgumentException if the topic or a property is not valid in MQTT
     */
    static Mqtt5Publish toPublish(Message message) {
        MessageProperties properties = message.properties();
        Mqtt5PublishBuilder.Complete publish = Mqtt5Publish.builder()
                .topic(message.topic())
                .qos(MqttQos.fromCode(message.qos().value()))
                .payload(message.payload())
                .retain(message.retain())
                .contentType(properties.contentType())
                .responseTopic(properties.responseTopic())
                .correlationData(properties.correlationData())
                .userProperties(Mqtt5UserProperties.of(properties.userProperties().stream()
                        .map(p -> Mqtt5UserProperty.of(p.name(), p.value())).toList()));
        if (properties.payloadUtf8()) {
            publish = publish.payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8);
        }
        Long expiry = message.remainingExpirySeconds(System.currentTimeMillis());
        if (expiry != null) {
            publish = publish.messageExpiryInterval(expiry);
        }
        return publish.build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
