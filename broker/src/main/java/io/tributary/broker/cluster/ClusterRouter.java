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
import java.util.Set;
import java.util.concurrent.CompletionStage;

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
        Routed here = local.route(message, publisher);
        if (message.topic().startsWith("$")) {
            return here;
        }
        Set<String> nodes = interest.nodesFor(message.topic(), node);
        if (nodes.isEmpty()) {
            return here;
        }
        String key = message.publisherId() != null ? message.publisherId() : message.topic();
        CompletionStage<Void> appended = link.append(message, key, nodes);
        if (message.qos() == QoS.AT_MOST_ONCE) {
            return here; // nothing waits for a QoS 0 publish; a failed append is counted by the link
        }
        return new Routed(here.offered() + nodes.size(), both(here.hold(), appended));
    }

    private Routed routeInProcess(Message message, PublisherLink publisher) {
        Routed inProcessOnly = local.routeOnly(message, publisher, ClusterRouter::inProcess);
        Set<String> nodes = interest.nodesFor(message.topic(), node);
        if (localSessionMatches(message.topic())) {
            nodes = nodes.isEmpty() ? Set.of(node) : plus(nodes, node);
        }
        if (nodes.isEmpty()) {
            return inProcessOnly;
        }
        CompletionStage<Void> appended = link.append(message, message.topic(), nodes);
        return new Routed(inProcessOnly.offered() + nodes.size(), both(inProcessOnly.hold(), appended));
    }

    private static Set<String> plus(Set<String> nodes, String node) {
        java.util.HashSet<String> all = new java.util.HashSet<>(nodes);
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
