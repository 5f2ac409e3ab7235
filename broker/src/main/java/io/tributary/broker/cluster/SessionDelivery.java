package io.tributary.broker.cluster;

import io.tributary.broker.Message;
import io.tributary.broker.delivery.InProcessSubscriber;
import io.tributary.broker.delivery.PublisherLink;
import io.tributary.broker.delivery.Subscriber;
import io.tributary.broker.subscription.MessageRouter;
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
        return router.routeOnly(message, reader, audience,
                (group, topic, among) -> ShareChoice.memberOn(node, shares, group, topic, among)).hold();
    }

    private static boolean session(Subscriber subscriber) {
        return !ClusterRouter.inProcess(subscriber);
    }

    private static boolean remoteAudience(Subscriber subscriber) {
        return !ClusterRouter.inProcess(subscriber) || ((InProcessSubscriber) subscriber).everyNode();
    }
}
