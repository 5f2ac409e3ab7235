package io.tributary.bridge.camel;

import io.tributary.broker.Message;
import java.util.concurrent.CompletionStage;

/**
 * A way for a route to deliver a message from the broker without a Camel exchange: an exchange, its unit of work
 * and its header map cost more per message than the delivery itself into a fast sink such as Kafka. The consumer
 * offers each message here first, on the route's worker thread of its publisher; what this cannot deliver goes
 * down the route as an exchange after all, so that retries, dead letters and failure logs stay the route's.
 */
public interface DirectDelivery {

    /** Called when the route's consumer starts, before any message. */
    void start();

    /**
     * Called when the route's consumer stops, after its subscription closed: returns once every delivery under way
     * has completed, one way or the other. Deliveries offered afterwards fail, so that they take the route.
     */
    void stop();

    /**
     * Delivers {@code message}, or finds that the route's condition refuses it.
     *
     * @return completes when the sink has the message (or the condition refused it); completes exceptionally when
     *     it was not delivered, for any reason: the consumer then sends it down the route as an exchange
     */
    CompletionStage<Void> deliver(Message message);
}
