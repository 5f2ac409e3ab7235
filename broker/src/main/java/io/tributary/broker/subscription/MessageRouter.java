package io.tributary.broker.subscription;

import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.delivery.PublisherLink;
import io.tributary.broker.delivery.Router;
import io.tributary.broker.delivery.Subscriber;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Hands a published message to every subscriber whose subscriptions match it.
 *
 * <p>A subscriber with several matching subscriptions gets one copy, at the highest of their QoS
 * [MQTT-3.3.4-2] and with all their subscription identifiers [MQTT-3.3.4-4]; each shared group gets one
 * copy for one of its members. What the subscribers hold the publisher's acknowledgement with comes back
 * as the result, never through a list the caller passes in.
 *
 * <p>Concurrency: runs on each publisher's thread at once; its state lives in the call, and it holds no lock of
 * its own (the tree is read without locking).
 */
public final class MessageRouter implements Router {
    private final SubscriptionTree subscriptions;

    public MessageRouter(SubscriptionTree subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public Routed route(Message message, PublisherLink publisher) {
        Matches matches = new Matches(message.publisherId());
        subscriptions.match(message.topic(), matches);
        int offered = offerAll(message, publisher, matches, null);
        if (matches.refused) {
            // A subscriber matched above unsubscribed before it was offered the message: a route replaced by a
            // reload, whose successor subscribed first. Match again, so that a subscriber that came meanwhile gets
            // the message instead of nobody.
            Matches again = new Matches(message.publisherId());
            subscriptions.match(message.topic(), again);
            int offeredAgain = offerAll(message, publisher, again, matches);
            offered += offeredAgain;
            matches.hold(again.hold(offeredAgain));
        }
        return new Routed(offered, matches.hold(offered));
    }

    /**
     * Like {@link #route}, but offers {@code message} only to the subscribers {@code audience} accepts: in a
     * cluster, an in-process publish reaches the in-process subscribers here and the MQTT sessions through the log.
     * A shared group picks its member among those in the audience. {@link #route} is left as it
     * is, so that a broker without a cluster pays nothing for this.
     */
    public Routed routeOnly(Message message, PublisherLink publisher, Predicate<Subscriber> audience) {
        return routeOnly(message, publisher, audience, SharedChoice.PICK);
    }

    /**
     * Like {@link #routeOnly(Message, PublisherLink, Predicate)}, but each shared group's member is the one
     * {@code choice} names (in a cluster: the member the origin chose over the whole cluster, or none here).
     */
    public Routed routeOnly(Message message, PublisherLink publisher, Predicate<Subscriber> audience,
                            SharedChoice choice) {
        Matches matches = new Matches(message.publisherId());
        Audience only = new Audience(matches, audience, choice);
        subscriptions.match(message.topic(), only);
        int offered = offerAll(message, publisher, matches, null) + only.offerShared(message, publisher, matches);
        if (matches.refused) {
            // As in route: a subscriber replaced meanwhile; its successor gets the message.
            Matches again = new Matches(message.publisherId());
            subscriptions.match(message.topic(), new Audience(again, audience, choice));
            int offeredAgain = offerAll(message, publisher, again, matches);
            offered += offeredAgain;
            matches.hold(again.hold(offeredAgain));
        }
        return new Routed(offered, matches.hold(offered));
    }

    /** Passes on the matches of one audience; keeps shared groups to offer to a member in the audience. */
    private static final class Audience implements MatchCollector {
        private final Matches matches;
        private final Predicate<Subscriber> audience;
        private final SharedChoice choice;
        private List<SharedGroup> groups;

        Audience(Matches matches, Predicate<Subscriber> audience, SharedChoice choice) {
            this.matches = matches;
            this.audience = audience;
            this.choice = choice;
        }

        @Override
        public void add(Subscription s) {
            if (audience.test(s.subscriber())) {
                matches.add(s);
            }
        }

        @Override
        public void addShared(SharedGroup group) {
            if (groups == null) {
                groups = new ArrayList<>(2);
            }
            groups.add(group);
        }

        int offerShared(Message message, PublisherLink publisher, Matches into) {
            int offered = 0;
            if (groups != null) {
                for (SharedGroup group : groups) {
                    Subscription member = choice.choose(group, message.topic(), audience);
                    if (member != null) {
                        offer(message, member, publisher, into);
                        offered++;
                    }
                }
            }
            return offered;
        }
    }

    /** Offers to every match; with {@code earlier}, only to those that round did not reach. */
    private static int offerAll(Message message, PublisherLink publisher, Matches matches, Matches earlier) {
        int offered = 0;
        if (matches.single != null) {
            if (earlier == null || !earlier.reached(matches.single.subscriber())) {
                offer(message, matches.single, publisher, matches);
                offered++;
            }
        } else if (matches.byClient != null) {
            for (Aggregate aggregate : matches.byClient.values()) {
                Subscription first = aggregate.first;
                if (earlier != null && earlier.reached(first.subscriber())) {
                    continue;
                }
                QoS qos = QoS.min(message.qos(), aggregate.maxQos);
                boolean retain = aggregate.retainAsPublished && message.retain();
                matches.hold(first.subscriber().offer(new OutboundMessage(message, qos, retain, aggregate.ids()),
                        publisher));
                offered++;
            }
        }
        if (matches.groups != null) {
            for (SharedGroup group : matches.groups) {
                if (earlier != null && earlier.reached(group)) {
                    continue;
                }
                Subscription member = group.pick(message.topic());
                if (member != null) {
                    if (offer(message, member, publisher, matches)) {
                        matches.refusedGroup(group);
                    }
                    offered++;
                }
            }
        }
        return offered;
    }

    /** Offers to one subscription; true if its subscriber had unsubscribed meanwhile. */
    private static boolean offer(Message message, Subscription s, PublisherLink publisher, Matches matches) {
        QoS qos = QoS.min(message.qos(), s.maxQos());
        boolean retain = s.retainAsPublished() && message.retain();
        int[] ids = s.subscriptionId() == 0 ? OutboundMessage.NO_IDS : new int[] {s.subscriptionId()};
        return matches.hold(s.subscriber().offer(new OutboundMessage(message, qos, retain, ids), publisher));
    }

    /**
     * Collects matches, aggregating per subscriber only when a second one shows up; then what the subscribers
     * hold the acknowledgement with, in a list only when a second one shows up.
     */
    private static final class Matches implements MatchCollector {
        private final String publisherId;
        Subscription single;
        Map<Subscriber, Aggregate> byClient;
        List<SharedGroup> groups;
        private CompletionStage<Void> firstHold;
        private List<CompletionStage<Void>> holds;
        /** A subscriber offered the message had unsubscribed since it was matched. */
        boolean refused;
        private List<SharedGroup> refusedGroups;

        Matches(String publisherId) {
            this.publisherId = publisherId;
        }

        /** Keeps what a subscriber holds the acknowledgement with; true if it had unsubscribed meanwhile. */
        boolean hold(CompletionStage<Void> stage) {
            if (stage == Subscriber.UNSUBSCRIBED) {
                refused = true;
                return true;
            }
            if (stage == null) {
                return false;
            }
            if (firstHold == null) {
                firstHold = stage;
                return false;
            }
            if (holds == null) {
                holds = new ArrayList<>(4);
                holds.add(firstHold);
            }
            holds.add(stage);
            return false;
        }

        void refusedGroup(SharedGroup group) {
            if (refusedGroups == null) {
                refusedGroups = new ArrayList<>(1);
            }
            refusedGroups.add(group);
        }

        /** True if this round offered the message to {@code subscriber}. */
        boolean reached(Subscriber subscriber) {
            return single != null ? single.subscriber() == subscriber
                    : byClient != null && byClient.containsKey(subscriber);
        }

        /** True if this round gave the message to a member of {@code group} that took it. */
        boolean reached(SharedGroup group) {
            return groups != null && groups.contains(group) && (refusedGroups == null || !refusedGroups.contains(group));
        }

        /** One stage for all the holds, see {@link CombinedHold}; null if none. */
        CompletionStage<Void> hold(int offered) {
            if (holds == null) {
                return firstHold == null || offered <= 1 ? firstHold : CombinedHold.of(List.of(firstHold), offered);
            }
            return CombinedHold.of(holds, offered);
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
