package io.tributary.broker.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Something that messages are delivered to: an MQTT client's session or an in-process handler.
 */
public interface Subscriber {

    /** The client identifier, compared with a message's publisher for No Local; {@code null} for in-process. */
    String clientId();

    /**
     * Takes a message for delivery. Never blocks: a subscriber that is behind calls
     * {@link PublisherLink#pause()} on {@code publisher} (when not null) and resumes it once it caught up.
     *
     * @return a stage that the publisher's acknowledgement must wait for, or {@code null} if it need not wait
     */
    CompletionStage<Void> offer(OutboundMessage message, PublisherLink publisher);

    /**
     * What {@link #offer} returns, compared by identity, when the subscriber unsubscribed after the message was
     * matched to it: the router then matches the message again, so a subscriber that replaced this one gets it.
     */
    CompletionStage<Void> UNSUBSCRIBED = CompletableFuture.completedFuture(null);

    /**
     * True if a message on {@code topic} may be delivered to this subscriber, which a shared subscription asks
     * to pick a member that may; {@link #offer} checks again.
     */
    default boolean mayReceive(String topic) {
        return true;
    }

    /** True if a shared subscription should prefer this member now: connected and not behind. */
    boolean isReadyForShared();
}
