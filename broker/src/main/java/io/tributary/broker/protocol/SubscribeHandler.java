package io.tributary.broker.protocol;

import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.QoS;
import io.tributary.broker.session.Session;
import io.tributary.broker.subscription.Subscription;
import io.tributary.broker.topic.InvalidTopicException;
import io.tributary.broker.topic.TopicFilter;
import io.tributary.broker.topic.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * SUBSCRIBE and UNSUBSCRIBE (section 3.8 to 3.11 of both specifications), retained messages included, within the
 * broker's limits: filters per packet, subscriptions per client, filter length and levels. A filter past one of them
 * is refused in the SUBACK (MQTT 5: 0x97 quota exceeded, 0x8F topic filter invalid; MQTT 3.1.1: 0x80) and the
 * connection stays open: the SUBACK tells the client which of its filters were taken.
 */
final class SubscribeHandler {
    private final MqttConnection connection;
    /** Retained messages still being sent, by the filter that asked for them; touched on the event loop only. */
    private final Map<String, RetainedDelivery> retainedDeliveries = new HashMap<>();

    SubscribeHandler(MqttConnection connection) {
        this.connection = connection;
    }

    void onSubscribe(MqttSubscribeMessage subscribe) {
        boolean v5 = connection.protocolVersion == 5;
        int packetId = subscribe.variableHeader().messageId();
        List<MqttTopicSubscription> requests = subscribe.payload().topicSubscriptions();
        if (requests.isEmpty()) {
            connection.protocolError("a SUBSCRIBE needs at least one topic filter [MQTT-3.8.3-3]");
            return;
        }
        int subscriptionId = 0;
        if (v5) {
            MqttProperties properties = subscribe.idAndPropertiesVariableHeader().properties();
            List<? extends MqttProperties.MqttProperty> ids =
                    properties.getProperties(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value());
            if (ids.size() > 1) {
                connection.protocolError("more than one Subscription Identifier");
                return;
            }
            if (ids.size() == 1) {
                subscriptionId = (Integer) ids.get(0).value();
                if (subscriptionId == 0) {
                    connection.protocolError("Subscription Identifier 0 (MQTT 5 section 3.8.2.1.2: it is 1 to 268,435,455)");
                    return;
                }
            }
        }
        ProtocolContext context = connection.context;
        Session session = connection.session;
        BrokerConfig config = context.config();
        int handled = Math.min(requests.size(), config.maxFiltersPerSubscribe());
        // A filter repeated in one packet is handled once, as its last occurrence asks: each occurrence would
        // replace the subscription made by the one before [MQTT-3.8.4-3], so the last wins. The others get its code.
        Map<String, Integer> lastOccurrence = new HashMap<>();
        for (int i = 0; i < handled; i++) {
            lastOccurrence.put(requests.get(i).topicName(), i);
        }
        int quotaExceeded = v5 ? MqttReasonCodes.SubAck.QUOTA_EXCEEDED.byteValue() & 0xFF : 0x80;
        int[] codes = new int[requests.size()];
        List<Subscription> sendRetained = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            MqttTopicSubscription request = requests.get(i);
            MqttSubscriptionOption option = request.option();
            if (!v5 && (option.isNoLocal() || option.isRetainAsPublished()
                    || option.retainHandling() != MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE)) {
                // Bits 2-7 of the requested QoS byte are reserved in 3.1.1 [MQTT-3-8.3-4].
                connection.channel.close();
                return;
            }
            if (i >= handled) {
                // Beyond the filters one packet may carry: refused without being looked at.
                codes[i] = quotaExceeded;
                continue;
            }
            if (lastOccurrence.get(request.topicName()) != i) {
                continue; // answered below with the code of its last occurrence
            }
            TopicFilter filter;
            try {
                filter = TopicFilter.parse(request.topicName());
            } catch (InvalidTopicException e) {
                codes[i] = v5 ? MqttReasonCodes.SubAck.TOPIC_FILTER_INVALID.byteValue() & 0xFF : 0x80;
                continue;
            }
            if (filter.isShared() && option.isNoLocal()) {
                connection.protocolError("No Local on a shared subscription [MQTT-3.8.3-4]");
                return;
            }
            if (TopicName.limitProblem(filter.raw(), config.maxTopicLength(), Integer.MAX_VALUE) != null
                    || filter.levels().length > config.maxTopicLevels()) {
                // Well formed, but past what this broker accepts (MQTT 5: "not accepted by the Server").
                codes[i] = v5 ? MqttReasonCodes.SubAck.TOPIC_FILTER_INVALID.byteValue() & 0xFF : 0x80;
                continue;
            }
            if (!connection.permissions.maySubscribe(filter.filter())) {
                codes[i] = v5 ? MqttReasonCodes.SubAck.NOT_AUTHORIZED.byteValue() & 0xFF : 0x80;
                continue;
            }
            if (!session.subscriptions().containsKey(filter.raw())
                    && session.subscriptions().size() >= config.maxSubscriptionsPerClient()) {
                codes[i] = quotaExceeded;
                continue;
            }
            QoS qos = QoS.of(option.qos().value());
            Subscription subscription = new Subscription(session, filter, qos, option.isNoLocal(),
                    option.isRetainAsPublished(), option.retainHandling().value(), subscriptionId);
            boolean existed = context.subscriptions().add(subscription);
            session.subscriptions().put(filter.raw(), subscription);
            codes[i] = qos.value();
            int retainHandling = subscription.retainHandling();
            // Shared subscriptions get no retained messages (MQTT 5 sections 3.8.4 and 4.8.2, in sentences the spec
            // does not number); Retain Handling 1: only if new.
            if (!filter.isShared() && (retainHandling == 0 || (retainHandling == 1 && !existed))) {
                sendRetained.add(subscription);
            }
        }
        for (int i = 0; i < handled; i++) {
            int last = lastOccurrence.get(requests.get(i).topicName());
            if (last != i) {
                codes[i] = codes[last];
            }
        }
        CompletionStage<Void> known = context.sessions().subscriptionsChanged(session);
        if (known == null) {
            subAck(packetId, codes, sendRetained);
            return;
        }
        // In a cluster (design §4.2 step 3): the SUBACK waits until every live node knows the subscriptions, so
        // that a message published anywhere after the SUBACK reaches them. If that fails (Kafka away, the wait timed
        // out), the filters granted are refused (0x80, the failure code of both versions) and removed again.
        List<Subscription> granted = new ArrayList<>();
        for (int i = 0; i < handled; i++) {
            if (lastOccurrence.get(requests.get(i).topicName()) == i && codes[i] < 0x80) {
                granted.add(session.subscriptions().get(requests.get(i).topicName()));
            }
        }
        known.whenComplete((ignored, failure) -> connection.channel.eventLoop().execute(() -> {
            if (failure == null) {
                subAck(packetId, codes, sendRetained);
            } else {
                for (Subscription subscription : granted) {
                    if (subscription != null
                            && session.subscriptions().remove(subscription.filter().raw(), subscription)) {
                        context.subscriptions().remove(session, subscription.filter());
                    }
                }
                for (int i = 0; i < codes.length; i++) {
                    if (codes[i] < 0x80) {
                        codes[i] = 0x80;
                    }
                }
                context.sessions().subscriptionsChanged(session);
                subAck(packetId, codes, List.of());
            }
            connection.channel.flush();
        }));
    }

    private void subAck(int packetId, int[] codes, List<Subscription> sendRetained) {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
        connection.channel.write(new MqttSubAckMessage(header,
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes)));
        for (Subscription subscription : sendRetained) {
            sendRetained(subscription);
        }
    }

    /**
     * Starts sending the retained messages matching {@code subscription}, in steps (see {@link RetainedDelivery});
     * one still sending for the same filter stops, so that subscribing again does not send them twice over.
     */
    private void sendRetained(Subscription subscription) {
        String raw = subscription.filter().raw();
        RetainedDelivery[] holder = new RetainedDelivery[1];
        RetainedDelivery delivery = new RetainedDelivery(connection.session, connection,
                connection.context.retained(), subscription, () -> retainedDeliveries.remove(raw, holder[0]));
        holder[0] = delivery;
        RetainedDelivery previous = retainedDeliveries.put(raw, delivery);
        if (previous != null) {
            previous.cancel();
        }
        delivery.start();
    }

    void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        boolean v5 = connection.protocolVersion == 5;
        int packetId = unsubscribe.variableHeader().messageId();
        List<String> filters = unsubscribe.payload().topics();
        if (filters.isEmpty()) {
            connection.protocolError("an UNSUBSCRIBE needs at least one topic filter [MQTT-3.10.3-2]");
            return;
        }
        List<Short> codes = new ArrayList<>(filters.size());
        Session session = connection.session;
        for (String raw : filters) {
            TopicFilter filter;
            try {
                filter = TopicFilter.parse(raw);
            } catch (InvalidTopicException e) {
                codes.add((short) (MqttReasonCodes.UnsubAck.TOPIC_FILTER_INVALID.byteValue() & 0xFF));
                continue;
            }
            RetainedDelivery sending = retainedDeliveries.remove(filter.raw());
            if (sending != null) {
                sending.cancel();
            }
            boolean removed = connection.context.subscriptions().remove(session, filter);
            session.subscriptions().remove(filter.raw());
            codes.add(removed ? 0 : (short) MqttReasonCodes.UnsubAck.NO_SUBSCRIPTION_EXISTED.byteValue());
        }
        connection.context.sessions().subscriptionsChanged(session); // UNSUBSCRIBE needs no barrier (§4.2 step 5)
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
        MqttUnsubAckMessage ack = v5
                ? new MqttUnsubAckMessage(header,
                        new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                        new MqttUnsubAckPayload(codes))
                : new MqttUnsubAckMessage(header, MqttMessageIdVariableHeader.from(packetId));
        connection.channel.write(ack);
    }
}
