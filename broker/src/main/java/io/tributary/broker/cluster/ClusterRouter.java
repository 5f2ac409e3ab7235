package io.tributary.broker.cluster;

import io.tributary.broker.Message;
import io.tributary.broker.delivery.InProcessSubscriber;
import io.tributary.broker.delivery.PublisherLink;
import io.tributary.broker.delivery.Router;
import io.tributary.broker.delivery.Subscriber;
import io.tributary.broker.subscription.MessageRouter;
import java.util.concurrent.CompletionStage;

/**
 * Routes an in-process publish (a Kafka → device route, the HTTP API) in a cluster: this node's in-process
 * subscribers get it at once, and it is appended to the cluster's log, from which every node, this one included,
 * delivers it to its own MQTT sessions. One path and one order for every device, wherever it is connected.
 *
 * <p>What the publisher waits for: the append being durable, and the local in-process subscribers that hold the
 * acknowledgement. A Kafka → device route commits its source offset only then.
 *
 * <p>Concurrency: called on every publisher's thread at once; it keeps no state of its own.
 */
public final class ClusterRouter implements Router {
    private final MessageRouter local;
    private final ClusterLink link;

    public ClusterRouter(MessageRouter local, ClusterLink link) {
        this.local = local;
        this.link = link;
    }

    /** True for an in-process subscriber (a route, a webhook, an event stream), false for an MQTT session. */
    static boolean inProcess(Subscriber subscriber) {
        return subscriber instanceof InProcessSubscriber;
    }

    @Override
    public Routed route(Message message, PublisherLink publisher) {
        Routed inProcess = local.routeOnly(message, publisher, ClusterRouter::inProcess);
        CompletionStage<Void> appended = link.append(message);
        CompletionStage<Void> hold = inProcess.hold() == null ? appended
                : inProcess.hold().thenCombine(appended, (a, b) -> null);
        return new Routed(inProcess.offered(), hold);
    }
}
