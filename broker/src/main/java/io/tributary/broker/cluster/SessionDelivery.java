package io.tributary.broker.cluster;

import io.tributary.broker.Message;
import io.tributary.broker.delivery.PublisherLink;
import io.tributary.broker.subscription.MessageRouter;
import java.util.concurrent.CompletionStage;

/**
 * The broker's {@link LogDelivery}: offers a message read from the cluster's log to this node's MQTT sessions
 * (online ones queue it, persistent offline ones journal it), never to its in-process subscribers.
 *
 * <p>Concurrency: called by the log reader's thread; the sessions guard their own state.
 */
public final class SessionDelivery implements LogDelivery {
    private final MessageRouter router;

    public SessionDelivery(MessageRouter router) {
        this.router = router;
    }

    @Override
    public CompletionStage<Void> deliver(Message message, PublisherLink reader) {
        return router.routeOnly(message, reader, subscriber -> !ClusterRouter.inProcess(subscriber)).hold();
    }
}
