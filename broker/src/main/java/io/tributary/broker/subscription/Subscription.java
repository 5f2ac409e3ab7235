package io.tributary.broker.subscription;

import io.tributary.broker.QoS;
import io.tributary.broker.delivery.Subscriber;
import io.tributary.broker.topic.TopicFilter;

/**
 * One subscription of one subscriber, with the MQTT 5 subscription options.
 *
 * @param subscriptionId the MQTT 5 Subscription Identifier, 0 when there is none
 * @param retainHandling 0: send retained messages on subscribe, 1: only if the subscription is new,
 *     2: never
 */
public record Subscription(Subscriber subscriber, TopicFilter filter, QoS maxQos, boolean noLocal,
                           boolean retainAsPublished, int retainHandling, int subscriptionId) {
}
