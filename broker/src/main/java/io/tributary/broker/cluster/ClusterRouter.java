package io.tributary.broker.cluster;

import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.delivery.InProcessSubscriber;
import io.tributary.broker.delivery.PublisherLink;
import io.tributary.broker.delivery.Router;
import io.tributary.broker.delivery.Subscriber;
import io.tributary.broker.subscription.MatchCollector;
import io.tributary.broker.subscription.MessageRouter;
import io.tributary.broker.subscription.SharedGroup;
import io.tributary.broker.subscription.Subscription;
import io.tributary.broker.subscription.SubscriptionTree;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Routes a message on a cluster node (design §4.1): what this node serves itself, and for which other nodes it is
 * appended to the cluster's log. The nodes come from {@link ClusterInterest}: a message no session elsewhere
 * matches is not appended at all.
 *
 * <ul>
 *   <li>A device's publish, a will ({@link #route}): every local subscriber (sessions, routes, event streams) is
 *       offered it at once, exactly as on a broker on its own; it is appended for the other nodes with a matching
 *       session. QoS 1/2: the publisher's PUBACK/PUBREC waits for the append to be durable too, and a failed
 *       append fails it as a failed route does. QoS 0: appended without waiting (a failure is counted by the
 *       link's observer).
 *   <li>An in-process publish ({@link #inProcess}: a Kafka → device route, the HTTP API): local in-process
 *       subscribers at once; the MQTT sessions of every node, this one included, through the log, so that one
 *       device's commands take one path in one order wherever it is connected. The publisher waits for the append.
 *   <li>{@code $} topics ({@code $SYS}) never leave their node.
 * </ul>
 *
 * <p>A shared group ({@code $share/G/filter}) gets each message once in the whole cluster (design §4.7): the
 * origin picks one member over the table ({@link ClusterInterest#destinations}); a member here is offered it at
 * once for a device's publish, a member elsewhere is named in the record's share choices and its node is among
 * those the record is for.
 *
 * <p>A message meets in-process subscribers (routes) once, on its origin: other nodes hand what they read to their
 * sessions only ({@link SessionDelivery}).
 *
 * <p>Concurrency: called on every publisher's thread at once; it keeps no state of its own.
 */
public final class ClusterRouter implements Router {
    private final MessageRouter local;
    private final SubscriptionTree subscriptions;
    private final ClusterLink link;
    private final ClusterInterest interest;
    private final String node;
    private final Router inProcess = this::routeInProcess;
    private static final Predicate<Subscriber> ANYONE = subscriber -> true;

    public ClusterRouter(MessageRouter local, SubscriptionTree subscriptions, ClusterLink link,
                         ClusterInterest interest) {
        this.local = local;
        this.subscriptions = subscriptions;
        this.link = link;
        this.interest = interest;
        this.node = link.node();
    }

    /** True for an in-process subscriber (a route, a webhook, an event stream), false for an MQTT session. */
    static boolean inProcess(Subscriber subscriber) {
        return subscriber instanceof InProcessSubscriber;
    }

    /** The router of in-process publishes. */
    public Router inProcess() {
        return inProcess;
    }

    @Override
    public Routed route(Message message, PublisherLink publisher) {
        if (message.topic().startsWith("$")) {
            return local.route(message, publisher);
        }
        ClusterInterest.Destinations wanted = interest.destinations(message.topic(), node);
        Routed here;
        Set<String> nodes = wanted.nodes();
        List<ShareChoice> shares = wanted.shares();
        if (shares.isEmpty()) {
            here = local.route(message, publisher);
        } else {
            here = local.routeOnly(message, publisher, ANYONE,
                    (group, topic, among) -> ShareChoice.memberOn(node, shares, group, topic, among));
            nodes = plusOwners(nodes, elsewhere(shares));
        }
        if (nodes.isEmpty()) {
            return here;
        }
        String key = message.publisherId() != null ? message.publisherId() : message.topic();
        // Every choice, this node's too: a node that finds no choice for a group it has picks there itself.
        CompletionStage<Void> appended = link.append(message, key, nodes, shares);
        if (message.qos() == QoS.AT_MOST_ONCE) {
            return here; // nothing waits for a QoS 0 publish; a failed append is counted by the link
        }
        return new Routed(here.offered() + nodes.size(), both(here.hold(), appended));
    }

    private Routed routeInProcess(Message message, PublisherLink publisher) {
        // A group mixing routes and MQTT members gets the message on each side (documented): the routes' side picks
        // here among routes, the MQTT side is the cluster-wide choice, served through the log.
        Routed inProcessOnly = local.routeOnly(message, publisher, ClusterRouter::inProcess);
        ClusterInterest.Destinations wanted = interest.destinations(message.topic(), node);
        Set<String> nodes = plusOwners(wanted.nodes(), wanted.shares());
        if (!nodes.contains(node) && localSessionMatches(message.topic())) {
            nodes = plus(nodes, node);
        }
        if (nodes.isEmpty()) {
            return inProcessOnly;
        }
        CompletionStage<Void> appended = link.append(message, message.topic(), nodes, wanted.shares());
        return new Routed(inProcessOnly.offered() + nodes.size(), both(inProcessOnly.hold(), appended));
    }

    /** The choices of members on other nodes. */
    private List<ShareChoice> elsewhere(List<ShareChoice> shares) {
        List<ShareChoice> remote = null;
        for (ShareChoice choice : shares) {
            if (!choice.node().equals(node)) {
                if (remote == null) {
                    remote = new ArrayList<>(shares.size());
                }
                remote.add(choice);
            }
        }
        return remote == null ? List.of() : remote;
    }

    /** {@code nodes} and the owners of {@code shares}' members. */
    private static Set<String> plusOwners(Set<String> nodes, List<ShareChoice> shares) {
        if (shares.isEmpty()) {
            return nodes;
        }
        Set<String> all = new HashSet<>(nodes);
        for (ShareChoice choice : shares) {
            all.add(choice.node());
        }
        return all;
    }

    private static Set<String> plus(Set<String> nodes, String node) {
        Set<String> all = new HashSet<>(nodes);
        all.add(node);
        return all;
    }

    private static CompletionStage<Void> both(CompletionStage<Void> hold, CompletionStage<Void> appended) {
        return hold == null ? appended : hold.thenCombine(appended, (a, b) -> null);
    }

    /** True if an MQTT session of this node (a shared group's member included) has a subscription matching. */
    private boolean localSessionMatches(String topic) {
        SessionMatch match = new SessionMatch();
        subscriptions.match(topic, match);
        return match.found;
    }

    /** Notes whether any match is an MQTT session. */
    private static final class SessionMatch implements MatchCollector {
        boolean found;

        @Override
        public void add(Subscription s) {
            found |= !inProcess(s.subscriber());
        }

        @Override
        public void addShared(SharedGroup group) {
            for (Subscription member : group.members()) {
                found |= !inProcess(member.subscriber());
            }
        }
    }
}
