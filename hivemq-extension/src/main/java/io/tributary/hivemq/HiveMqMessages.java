package io.tributary.hivemq;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.PayloadFormatIndicator;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/** Converts between HiveMQ's publishes and the broker-api {@link Message} that routes take and give. */
final class HiveMqMessages {

    /** HiveMQ's "never expires": the SDK reports the maximum interval for a publish without expiry. */
    private static final long NO_EXPIRY = 4_294_967_296L - 1;

    private HiveMqMessages() {
    }

    /** A device's publish as a route sees it: its client id is the publisher, {@code nowMillis} its arrival. */
    static Message toMessage(PublishPacket packet, String clientId, long nowMillis) {
        byte[] payload = packet.getPayload().map(HiveMqMessages::bytes).orElse(new byte[0]);
        Long expiry = packet.getMessageExpiryInterval().filter(seconds -> seconds < NO_EXPIRY).orElse(null);
        List<UserProperty> userProperties = packet.getUserProperties().asList().stream()
                .map(p -> new UserProperty(p.getName(), p.getValue())).toList();
        MessageProperties properties = new MessageProperties(
                packet.getPayloadFormatIndicator().map(PayloadFormatIndicator.UTF_8::equals).orElse(false),
                expiry,
                packet.getContentType().orElse(null),
                packet.getResponseTopic().orElse(null),
                packet.getCorrelationData().map(HiveMqMessages::bytes).orElse(null),
                userProperties);
        return new Message(packet.getTopic(), payload, QoS.of(packet.getQos().getQosNumber()), packet.getRetain(),
                properties, clientId, nowMillis);
    }

    /** A route's message as HiveMQ publishes it to its subscribers, built with {@code builder}. */
    static Publish toPublish(Message message, Supplier<PublishBuilder> builder, long nowMillis) {
        MessageProperties properties = message.properties();
        PublishBuilder publish = builder.get()
                .topic(message.topic())
                .qos(Qos.valueOf(message.qos().value()))
                .retain(message.retain())
                .payload(ByteBuffer.wrap(message.payload()));
        Long remaining = message.remainingExpirySeconds(nowMillis);
        if (remaining != null) {
            publish.messageExpiryInterval(remaining);
        }
        if (properties.payloadUtf8()) {
            publish.payloadFormatIndicator(PayloadFormatIndicator.UTF_8);
        }
        if (properties.contentType() != null) {
            publish.contentType(properties.contentType());
        }
        if (properties.responseTopic() != null) {
            publish.responseTopic(properties.responseTopic());
        }
        if (properties.correlationData() != null) {
            publish.correlationData(ByteBuffer.wrap(properties.correlationData()));
        }
        properties.userProperties().forEach(p -> publish.userProperty(p.name(), p.value()));
        return publish.build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
