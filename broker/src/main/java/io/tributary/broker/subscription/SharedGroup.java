package io.tributary.broker.subscription;

import io.tributary.broker.delivery.Subscriber;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The members of one {@code $share/{group}/{filter}} subscription: each message goes to one of them,
 * round robin, skipping members that are offline or behind while another is ready.
 */
public final class SharedGroup {
    private final String name;
    private final AtomicInteger next = new AtomicInteger();
    private final SubscriptionList members = new SubscriptionList();

    SharedGroup(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * Picks the member for one message on {@code topic}, among those that may receive it, or {@code null} if
     * the group has none that may.
     */
    public Subscription pick(String topic) {
        return pick(topic, null);
    }

    /**
     * Like {@link #pick(String)}, but only among the members {@code among} accepts (all of them when null): in a
     * cluster, an in-process publish is offered to in-process members on its node and to MQTT members through the
     * log, so each side picks among its own instead of picking one the other side serves and losing the message.
     */
    public Subscription pick(String topic, Predicate<Subscriber> among) {
        Subscription[] current = members.snapshot();
        if (current.length == 0) {
            return null;
        }
        int start = Math.floorMod(next.getAndIncrement(), current.length);
        Subscription allowed = null;
        for (int i = 0; i < current.length; i++) {
            Subscription candidate = current[(start + i) % current.length];
            if (!candidate.subscriber().mayReceive(topic)
                    || among != null && !among.test(candidate.subscriber())) {
                continue;
            }
            if (candidate.subscriber().isReadyForShared()) {
                return candidate;
            }
            if (allowed == null) {
                allowed = candidate;
            }
        }
        // Nobody is ready: queue with the first allowed in round-robin order rather than lose the message.
        return allowed;
    }

    /** The members now (a snapshot): in a cluster, which nodes have one. */
    public Subscription[] members() {
        return members.snapshot();
    }

    boolean add(Subscription subscription) {
        return members.put(subscription);
    }

    boolean remove(Subscriber subscriber) {
        return members.remove(subscriber);
    }

    boolean isEmpty() {
        return members.isEmpty();
    }
}
