package io.tributary.broker;

import java.util.List;

/**
 * The MQTT 5 publish properties a message carries from publisher to subscriber.
 *
 * <p>An MQTT 3.1.1 publish has {@link #NONE}. {@code messageExpirySeconds} is {@code null} when the
 * message never expires; {@code payloadUtf8} is the Payload Format Indicator.
 */
public record MessageProperties(
        boolean payloadUtf8,
        Long messageExpirySeconds,
        String contentType,
        String responseTopic,
        byte[] correlationData,
        List<UserProperty> userProperties) {

    /** No properties: what every MQTT 3.1.1 message has. */
    public static final MessageProperties NONE = new MessageProperties(false, null, null, null, null, List.of());

    public MessageProperties {
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
        if (messageExpirySeconds != null && (messageExpirySeconds < 0 || messageExpirySeconds > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("message expiry must fit in 32 bits unsigned: " + messageExpirySeconds);
        }
    }

    /** A copy with the message expiry replaced. */
    public MessageProperties withMessageExpirySeconds(Long seconds) {
        return new MessageProperties(payloadUtf8, seconds, contentType, responseTopic, correlationData, userProperties);
    }

    /** A copy with the user properties replaced. */
    public MessageProperties withUserProperties(List<UserProperty> properties) {
        return new MessageProperties(payloadUtf8, messageExpirySeconds, contentType, responseTopic, correlationData,
                properties);
    }
}
