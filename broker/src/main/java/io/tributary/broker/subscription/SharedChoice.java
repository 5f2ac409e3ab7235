package io.tributary.broker.subscription;

import io.tributary.broker.delivery.Subscriber;
import java.util.function.Predicate;

/**
 * Says which member of a shared group gets one message: on one node {@link SharedGroup#pick}; in a cluster, the
 * member the message's origin chose over the whole cluster, or none when the origin chose one on another node.
 *
 * <p>Concurrency: called on each publisher's (or the log reader's) thread at once.
 */
@FunctionalInterface
public interface SharedChoice {

    /** Today's local round robin. */
    SharedChoice PICK = SharedGroup::pick;

    /**
     * The member of {@code group} to offer a message on {@code topic} to, among those {@code among} accepts (all
     * when null); null for none here.
     */
    Subscription choose(SharedGroup group, String topic, Predicate<Subscriber> among);
}
