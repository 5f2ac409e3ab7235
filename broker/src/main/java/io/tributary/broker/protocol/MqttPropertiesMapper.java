package io.tributary.broker.protocol;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.UserProperty;
import io.tributary.broker.delivery.OutboundMessage;
import java.util.ArrayList;
import java.util.List;

/** Converts between Netty's loosely typed MQTT 5 properties and {@link MessageProperties}. */
final class MqttPropertiesMapper {
    private MqttPropertiesMapper() {
    }

    /** The message properties of a PUBLISH or a will. */
    static MessageProperties toMessageProperties(MqttProperties properties) {
        // Netty's isEmpty() ignores user properties and subscription identifiers: ask listAll().
        if (properties == null || properties.listAll().isEmpty()) {
            return MessageProperties.NONE;
        }
        Integer format = intValue(properties, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR);
        Integer expiry = intValue(properties, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL);
        return new MessageProperties(
                format != null && format == 1,
                expiry == null ? null : Integer.toUnsignedLong(expiry),
                stringValue(properties, MqttPropertyType.CONTENT_TYPE),
                stringValue(properties, MqttPropertyType.RESPONSE_TOPIC),
                binaryValue(properties, MqttPropertyType.CORRELATION_DATA),
                userProperties(properties));
    }

    static List<UserProperty> userProperties(MqttProperties properties) {
        List<? extends MqttProperties.MqttProperty> all =
                properties.getProperties(MqttPropertyType.USER_PROPERTY.value());
        if (all.isEmpty()) {
            return List.of();
        }
        List<UserProperty> result = new ArrayList<>();
        for (MqttProperties.MqttProperty p : all) {
            if (p instanceof MqttProperties.UserProperties many) {
                for (MqttProperties.StringPair pair : many.value()) {
                    result.add(new UserProperty(pair.key, pair.value));
                }
            } else if (p instanceof MqttProperties.UserProperty one) {
                result.add(new UserProperty(one.value().key, one.value().value));
            }
        }
        return result;
    }

    /** The properties of an outbound PUBLISH, with the remaining expiry and the subscription identifiers. */
    static MqttProperties forPublish(OutboundMessage outbound, long nowMillis, int topicAlias) {
        MessageProperties p = outbound.message().properties();
        MqttProperties props = new MqttProperties();
        if (p.payloadUtf8()) {
            props.add(new MqttProperties.IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), 1));
        }
        Long remaining = outbound.message().remainingExpirySeconds(nowMillis);
        if (remaining != null) {
            // The expiry sent on is what is left of it [MQTT-3.3.2-6].
            props.add(new MqttProperties.IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(),
                    (int) remaining.longValue()));
        }
        if (p.contentType() != null) {
            props.add(new MqttProperties.StringProperty(MqttPropertyType.CONTENT_TYPE.value(), p.contentType()));
        }
        if (p.responseTopic() != null) {
            props.add(new MqttProperties.StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), p.responseTopic()));
        }
        if (p.correlationData() != null) {
            props.add(new MqttProperties.BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), p.correlationData()));
        }
        if (!p.userProperties().isEmpty()) {
            MqttProperties.UserProperties user = new MqttProperties.UserProperties();
            for (UserProperty up : p.userProperties()) {
                user.add(up.name(), up.value());
            }
            props.add(user);
        }
        for (int id : outbound.subscriptionIds()) {
            props.add(new MqttProperties.IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), id));
        }
        if (topicAlias > 0) {
            props.add(new MqttProperties.IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), topicAlias));
        }
        return props;
    }

    static Integer intValue(MqttProperties properties, MqttPropertyType type) {
        MqttProperties.MqttProperty p = properties.getProperty(type.value());
        return p == null ? null : (Integer) p.value();
    }

    static String stringValue(MqttProperties properties, MqttPropertyType type) {
        MqttProperties.MqttProperty p = properties.getProperty(type.value());
        return p == null ? null : (String) p.value();
    }

    static byte[] binaryValue(MqttProperties properties, MqttPropertyType type) {
        MqttProperties.MqttProperty p = properties.getProperty(type.value());
        return p == null ? null : (byte[]) p.value();
    }

    static boolean has(MqttProperties properties, MqttPropertyType type) {
        return properties != null && properties.getProperty(type.value()) != null;
    }
}
