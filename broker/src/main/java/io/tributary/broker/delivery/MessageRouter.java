package io.tributary.broker.delivery;

import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.subscription.MatchCollector;
import io.tributary.broker.subscription.SharedGroup;
import io.tributary.broker.subscription.Subscription;
import io.tributary.broker.subscription.SubscriptionTree;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Hands a published message to every subscriber whose subscriptions match it.
 *
 * <p>A subscriber with several matching subscriptions gets one copy, at the highest of their QoS
 * [MQTT-3.3.4-2] and with all their subscription identifiers [MQTT-3.3.4-4]; each shared group gets one
 * copy for one of its members. Runs on the publisher's thread; holds no lock of its own.
 */
public final class MessageRouter {
    private final SubscriptionTree subscriptions;

    public MessageRouter(SubscriptionTree subscriptions) {
        this.subscriptions = subscriptions;
    }

    /**
     * Routes {@code message}.
     *
     * @param publisher whom slow subscribers may pause, or null
     * @param holds receives the stages the publisher's acknowledgement must wait for
     * @return how many subscribers it was offered to
     */
    public int route(Message message, PublisherLink publisher, List<CompletionStage<Void>> holds) {
        Matches matches = new Matches(message.publisherId());
        subscriptions.match(message.topic(), matches);
        int offered = 0;
        if (matches.single != null) {
            offer(message, matches.single, publisher, holds);
            offered++;
        } else if (matches.byClient != null) {
            for (Aggregate aggregate : matches.byClient.values()) {
                Subscription first = aggregate.first;
                QoS qos = QoS.min(message.qos(), aggregate.maxQos);
                boolean retain = aggregate.retainAsPublished && message.retain();
                hold(first.subscriber().offer(new OutboundMessage(message, qos, retain, aggregate.ids()), publisher),
                        holds);
                offered++;
            }
        }
        if (matches.groups != null) {
            for (SharedGroup group : matches.groups) {
                Subscription member = group.pick();
                if (member != null) {
                    offer(message, member, publisher, holds);
                    offered++;
                }
            }
        }
        return offered;
    }

    private static void offer(Message message, Subscription s, PublisherLink publisher,
                              List<CompletionStage<Void>> holds) {
        QoS qos = QoS.min(message.qos(), s.maxQos());
        boolean retain = s.retainAsPublished() && message.retain();
        int[] ids = s.subscriptionId() == 0 ? OutboundMessage.NO_IDS : new int[] {s.subscriptionId()};
        hold(s.subscriber().offer(new OutboundMessage(message, qos, retain, ids), publisher), holds);
    }

    private static void hold(CompletionStage<Void> stage, List<CompletionStage<Void>> holds) {
        if (stage != null && holds != null) {
            holds.add(stage);
        }
    }

    /** Collects matches, aggregating per subscriber only when a second one shows up. */
    private static final class Matches implements MatchCollector {
        private final String publisherId;
        Subscription single;
        Map<Subscriber, Aggregate> byClient;
        List<SharedGroup> groups;

        Matches(String publisherId) {
            this.publisherId = publisherId;
        }

        @Override
        public void add(Subscription s) {
            // No Local: not delivered back to the client that published it [MQTT-3.8.3-3]
            if (s.noLocal() && publisherId != null && publisherId.equals(s.subscriber().clientId())) {
                return;
            }
            if (byClient == null && single == null) {
                single = s;
                return;
            }
            if (byClient == null) {
                byClient = new IdentityHashMap<>();
                byClient.put(single.subscriber(), new Aggregate(single));
                single = null;
            }
            Aggregate existing = byClient.get(s.subscriber());
            if (existing == null) {
                byClient.put(s.subscriber(), new Aggregate(s));
            } else {
                existing.merge(s);
            }
        }

        @Override
        public void addShared(SharedGroup group) {
            if (groups == null) {
                groups = new ArrayList<>(2);
            }
            groups.add(group);
        }
    }

    /** The overlapping subscriptions of one subscriber that a message matched. */
    private static final class Aggregate {
        final Subscription first;
        QoS maxQos;
        boolean retainAsPublished;
        int[] ids;

        Aggregate(Subscription s) {
            first = s;
            maxQos = s.maxQos();
            retainAsPublished = s.retainAsPublished();
            ids = s.subscriptionId() == 0 ? OutboundMessage.NO_IDS : new int[] {s.subscriptionId()};
        }

        void merge(Subscription s) {
            maxQos = QoS.max(maxQos, s.maxQos());
            retainAsPublished |= s.retainAsPublished();
            if (s.subscriptionId() != 0) {
                int[] grown = java.util.Arrays.copyOf(ids, ids.length + 1);
                grown[ids.length] = s.subscriptionId();
                ids = grown;
            }
        }

        int[] ids() {
            return ids;
        }
    }
}
