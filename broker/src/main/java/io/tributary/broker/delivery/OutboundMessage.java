package io.tributary.broker.delivery;

import io.tributary.broker.BrokerState;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;

/**
 * One message on its way to one subscriber: the QoS and retain flag it is delivered with, and the
 * subscription identifiers of every subscription of that subscriber it matched [MQTT-3.3.4-4].
 */
public record OutboundMessage(Message message, QoS qos, boolean retain, int[] subscriptionIds) {
    public static final int[] NO_IDS = new int[0];

    /** A delivery as a saved state holds it. */
    public static OutboundMessage of(BrokerState.Delivery delivery) {
        int[] ids = delivery.subscriptionIds().isEmpty() ? NO_IDS
                : delivery.subscriptionIds().stream().mapToInt(Integer::intValue).toArray();
        return new OutboundMessage(delivery.message(), delivery.qos(), delivery.retain(), ids);
    }

    /** What it counts against a session's {@code maxQueuedBytes}: its payload and its topic. */
    public long queuedSize() {
        return message.payload().length + (long) message.topic().length();
    }
}
