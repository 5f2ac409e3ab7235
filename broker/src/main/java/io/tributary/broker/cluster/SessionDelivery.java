package io.tributary.broker.cluster;

import io.tributary.broker.Message;
import io.tributary.broker.delivery.InProcessSubscriber;
import io.tributary.broker.delivery.PublisherLink;
import io.tributary.broker.delivery.Subscriber;
import io.tributary.broker.subscription.MessageRouter;
import io.tributary.broker.subscription.SharedGroup;
import io.tributary.broker.subscription.Subscription;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * The broker's {@link LogDelivery}: offers a message read from the cluster's log to this node's MQTT sessions
 * (online ones queue it, persistent offline ones journal it), and another node's message to the in-process
 * subscribers that asked for every node's; never to the others (routes). A shared group gets the message only
 * through the member its origin chose on this node (design §4.7): this node never picks again.
 *
 * <p>Concurrency: called by the log reader's thread; the sessions guard their own state.
 */
public final class SessionDelivery implements LogDelivery {
    private final MessageRouter router;
    private final String node;

    public SessionDelivery(MessageRouter router, String node) {
        this.router = router;
        this.node = node;
    }

    @Override
    public CompletionStage<Void> deliver(Message message, boolean fromThisNode, List<ShareChoice> shares,
                                         PublisherLink reader) {
        Predicate<Subscriber> audience = fromThisNode ? SessionDelivery::session : SessionDelivery::remoteAudience;
        if (shares == null) {
            return router.routeOnly(message, reader, audience).hold(); // an older node's record: pick here
        }
        return router.routeOnly(message, reader, audience, (group, topic, among) -> chosen(shares, group, topic,
                among)).hold();
    }

    /**
     * The member of {@code group} the origin chose, if it is on this node; none if it is on another. If it is gone
     * (unsubscribed, ended), another member of the group on this node; if there is none, nobody (see the design's
     * status of slice 6). A group the origin made no choice for (its table did not know the group yet) picks here,
     * as before slice 6.
     */
    private Subscription chosen(List<ShareChoice> shares, SharedGroup group, String topic,
                                Predicate<Subscriber> among) {
        ShareChoice choice = ShareChoice.of(shares, group.filter());
        if (choice == null) {
            return group.pick(topic, among);
        }
        if (!choice.node().equals(node)) {
            return null;
        }
        Subscription member = group.pickNamed(choice.clientId(), topic, among);
        return member != null ? member : group.pick(topic, among);
    }

    private static boolean session(Subscriber subscriber) {
        return !ClusterRouter.inProcess(subscriber);
    }

    private static boolean remoteAudience(Subscriber subscriber) {
        return !ClusterRouter.inProcess(subscriber) || ((InProcessSubscriber) subscriber).everyNode();
    }
}
