package io.tributary.broker.delivery;

import io.tributary.broker.Message;
import java.util.concurrent.CompletionStage;

/**
 * Hands a published message to the subscribers it matches. Declared here, implemented by the subscription
 * package, so that the publish path does not depend on how subscriptions are matched.
 *
 * <p>Concurrency: called on every publisher's thread at once; an implementation keeps a call's state in the
 * call.
 */
public interface Router {

    /**
     * Offers {@code message} to every matching subscriber.
     *
     * @param publisher whom subscribers that are behind may pause, or null
     */
    Routed route(Message message, PublisherLink publisher);

    /**
     * What routing one message came to.
     *
     * @param offered how many subscribers it was offered to
     * @param hold completes when every subscriber that holds the publisher's acknowledgement has the message
     *     (exceptionally if one of them failed, once all have completed); null if none holds it
     */
    record Routed(int offered, CompletionStage<Void> hold) {
    }
}
