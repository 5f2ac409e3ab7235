package io.tributary.broker;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An application message as the broker routes it: the publisher's topic, payload, QoS, retain flag and
 * MQTT 5 properties, plus who published it and when the broker received it.
 *
 * <p>The payload array is owned by the message once it is built: nobody writes to it afterwards.
 * {@code publisherId} is the MQTT client identifier of the publisher, or {@code null} for a message
 * published through the in-process API. {@code receivedAtMillis} is the broker's clock when the message
 * arrived; message expiry counts from it.
 */
public record Message(
        String topic,
        byte[] payload,
        QoS qos,
        boolean retain,
        MessageProperties properties,
        String publisherId,
        long receivedAtMillis) {

    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        properties = properties == null ? MessageProperties.NONE : properties;
    }

    /** A message for the in-process API: no properties, no publisher, received now. */
    public static Message of(String topic, byte[] payload, QoS qos, boolean retain) {
        return new Message(topic, payload, qos, retain, MessageProperties.NONE, null, System.currentTimeMillis());
    }

    /** A message with a UTF-8 text payload for the in-process API. */
    public static Message of(String topic, String payload, QoS qos, boolean retain) {
        return of(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    /** The payload decoded as UTF-8, for logs and tests. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** True when the message has expired at {@code nowMillis} (MQTT 5 Message Expiry Interval). */
    public boolean isExpiredAt(long nowMillis) {
        Long expiry = properties.messageExpirySeconds();
        return expiry != null && nowMillis - receivedAtMillis >= expiry * 1000L;
    }

    /** Seconds left before expiry at {@code nowMillis}, or {@code null} if the message never expires. */
    public Long remainingExpirySeconds(long nowMillis) {
        Long expiry = properties.messageExpirySeconds();
        if (expiry == null) {
            return null;
        }
        long elapsedSeconds = (nowMillis - receivedAtMillis) / 1000L;
        return Math.max(0, expiry - elapsedSeconds);
    }

    /** A copy with another QoS. */
    public Message withQos(QoS newQos) {
        return new Message(topic, payload, newQos, retain, properties, publisherId, receivedAtMillis);
    }

    /** A copy with another retain flag. */
    public Message withRetain(boolean newRetain) {
        return new Message(topic, payload, qos, newRetain, properties, publisherId, receivedAtMillis);
    }

    @Override
    public String toString() {
        return "Message[topic=" + topic + ", qos=" + qos.value() + ", retain=" + retain + ", bytes=" + payload.length
                + ", publisher=" + publisherId + "]";
    }
}
