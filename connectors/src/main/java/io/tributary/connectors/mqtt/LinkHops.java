package io.tributary.connectors.mqtt;

import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.UserProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * The hop count that ends loops through external brokers: each message a link publishes carries the user property
 * {@value #PROPERTY}, one more than the message it came from (kept through the built-in broker, whose routes copy
 * user properties), and a link drops what arrives with the count at its limit. A count rather than a mark of our
 * own, so that a legitimate chain (edge Tributary, a cloud broker, a cloud Tributary) still works.
 */
final class LinkHops {

    static final String PROPERTY = "tributary-hops";

    private LinkHops() {
    }

    /** The message's count: its last {@value #PROPERTY} property, 0 when it has none or one that is no count. */
    static int of(Message message) {
        int hops = 0;
        for (UserProperty property : message.properties().userProperties()) {
            if (property.name().equals(PROPERTY)) {
                try {
                    hops = Math.max(0, Integer.parseInt(property.value().trim()));
                } catch (NumberFormatException notACount) {
                    hops = 0;
                }
            }
        }
        return hops;
    }

    /** {@code message} with its count one more, in place of any it had, after its other user properties. */
    static Message next(Message message) {
        int hops = of(message);
        List<UserProperty> properties = new ArrayList<>();
        for (UserProperty property : message.properties().userProperties()) {
            if (!property.name().equals(PROPERTY)) {
                properties.add(property);
            }
        }
        properties.add(new UserProperty(PROPERTY, Integer.toString(hops == Integer.MAX_VALUE ? hops : hops + 1)));
        MessageProperties p = message.properties();
        return new Message(message.topic(), message.payload(), message.qos(), message.retain(),
                new MessageProperties(p.payloadUtf8(), p.messageExpirySeconds(), p.contentType(), p.responseTopic(),
                        p.correlationData(), properties),
                message.publisherId(), message.receivedAtMillis());
    }
}
