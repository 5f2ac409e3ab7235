package io.tributary.broker.session;

import io.tributary.broker.BrokerState;
import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.subscription.Subscription;
import io.tributary.broker.topic.TopicFilter;
import java.util.ArrayList;
import java.util.List;

/** Turns sessions into the records of a {@link BrokerState} and back. */
final class SessionStates {
    private SessionStates() {
    }

    /** The saved form of {@code session}; {@code nowMillis} is its offline instant if it is somehow still attached. */
    static BrokerState.SessionState toState(Session session, long nowMillis) {
        List<BrokerState.SubscriptionState> subscribed = subscriptions(session);
        List<BrokerState.InFlightDelivery> sent = new ArrayList<>();
        List<BrokerState.Delivery> waiting = new ArrayList<>();
        session.saveDeliveries(sent, waiting);
        WillMessage will = session.will;
        BrokerState.WillState willState = will == null ? null
                : new BrokerState.WillState(will.message(), will.delaySeconds());
        long offlineSince = session.link() == null ? session.offlineSinceMillis : nowMillis;
        return new BrokerState.SessionState(session.clientId(), session.username, session.usernameKnown,
                session.protocolVersion, session.expirySeconds, offlineSince, subscribed, session.acceptedInboundQos2(),
                sent, waiting, willState);
    }

    /**
     * What the journal keeps of {@code session} apart from its messages: subscriptions, will, expiry, user name,
     * and since when it is offline (0 while a connection is attached).
     */
    static BrokerState.SessionState describe(Session session) {
        WillMessage will = session.will;
        BrokerState.WillState willState = will == null ? null
                : new BrokerState.WillState(will.message(), will.delaySeconds());
        return new BrokerState.SessionState(session.clientId(), session.username, session.usernameKnown,
                session.protocolVersion, session.expirySeconds, session.offlineSinceMillis, subscriptions(session),
                List.of(), List.of(), List.of(), willState);
    }

    static List<BrokerState.SubscriptionState> subscriptions(Session session) {
        List<BrokerState.SubscriptionState> subscribed = new ArrayList<>(session.subscriptions.size());
        for (Subscription s : session.subscriptions.values()) {
            subscribed.add(new BrokerState.SubscriptionState(s.filter().raw(), s.maxQos(), s.noLocal(),
                    s.retainAsPublished(), s.retainHandling(), s.subscriptionId()));
        }
        return subscribed;
    }

    /** The subscription of {@code session} that {@code saved} describes. @throws IllegalArgumentException if invalid */
    static Subscription toSubscription(Session session, BrokerState.SubscriptionState saved) {
        return new Subscription(session, TopicFilter.parse(saved.filter()), saved.maxQos(), saved.noLocal(),
                saved.retainAsPublished(), saved.retainHandling(), saved.subscriptionId());
    }

    static BrokerState.Delivery toDelivery(OutboundMessage outbound) {
        List<Integer> ids = new ArrayList<>(outbound.subscriptionIds().length);
        for (int id : outbound.subscriptionIds()) {
            ids.add(id);
        }
        return new BrokerState.Delivery(outbound.message(), outbound.qos(), outbound.retain(), ids);
    }

}
