package io.tributary.bridge.camel;

import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/** Moves an MQTT message into a Camel exchange and back, through the body and {@link MqttHeaders}. */
public final class MessageBinding {

    private MessageBinding() {
    }

    /** Writes {@code message} into the exchange's in message: payload as body, metadata as headers. */
    public static void toExchange(Message message, Exchange exchange) {
        org.apache.camel.Message in = exchange.getIn();
        in.setBody(message.payload());
        in.setHeader(MqttHeaders.TOPIC, message.topic());
        in.setHeader(MqttHeaders.QOS, message.qos().value());
        in.setHeader(MqttHeaders.RETAIN, message.retain());
        in.setHeader(MqttHeaders.RECEIVED_AT, message.receivedAtMillis());
        if (message.publisherId() != null) {
            in.setHeader(MqttHeaders.CLIENT_ID, message.publisherId());
        }
        MessageProperties properties = message.properties();
        if (properties.contentType() != null) {
            in.setHeader(MqttHeaders.CONTENT_TYPE, properties.contentType());
        }
        if (properties.responseTopic() != null) {
            in.setHeader(MqttHeaders.RESPONSE_TOPIC, properties.responseTopic());
        }
        if (properties.correlationData() != null) {
            in.setHeader(MqttHeaders.CORRELATION_DATA, properties.correlationData());
        }
        if (properties.payloadUtf8()) {
            in.setHeader(MqttHeaders.PAYLOAD_UTF8, Boolean.TRUE);
        }
        Long expiry = message.remainingExpirySeconds(System.currentTimeMillis());
        if (expiry != null) {
            in.setHeader(MqttHeaders.MESSAGE_EXPIRY, expiry);
        }
        if (!properties.userProperties().isEmpty()) {
            in.setHeader(MqttHeaders.USER_PROPERTIES, properties.userProperties());
        }
    }

    /**
     * The message an exchange describes: the body as payload, the MQTT 5 properties from the headers.
     *
     * @param topic the topic to publish to
     * @param qos the QoS to publish at
     * @param retain whether to retain it
     * @throws InvalidPayloadException if the body cannot be turned into bytes
     */
    public static Message toMessage(Exchange exchange, String topic, QoS qos, boolean retain)
            throws InvalidPayloadException {
        org.apache.camel.Message in = exchange.getIn();
        byte[] payload = in.getBody() == null ? new byte[0] : in.getMandatoryBody(byte[].class);
        MessageProperties properties = new MessageProperties(
                Boolean.TRUE.equals(in.getHeader(MqttHeaders.PAYLOAD_UTF8, Boolean.class)),
                in.getHeader(MqttHeaders.MESSAGE_EXPIRY, Long.class),
                in.getHeader(MqttHeaders.CONTENT_TYPE, String.class),
                in.getHeader(MqttHeaders.RESPONSE_TOPIC, String.class),
                in.getHeader(MqttHeaders.CORRELATION_DATA, byte[].class),
                userProperties(in));
        return new Message(topic, payload, qos, retain, properties, null, System.currentTimeMillis());
    }

    @SuppressWarnings("unchecked")
    private static List<UserProperty> userProperties(org.apache.camel.Message in) {
        Object value = in.getHeader(MqttHeaders.USER_PROPERTIES);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list && list.stream().allMatch(UserProperty.class::isInstance)) {
            return (List<UserProperty>) list;
        }
        throw new IllegalArgumentException("header " + MqttHeaders.USER_PROPERTIES
                + " must be a list of UserProperty, was " + value.getClass().getName());
    }
}
