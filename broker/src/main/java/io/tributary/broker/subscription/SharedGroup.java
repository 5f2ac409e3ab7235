package io.tributary.broker.subscription;

import io.tributary.broker.delivery.Subscriber;
import java.util.concurrent.atomic.AtomicInteger;

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

    /** Picks the member for one message, or {@code null} if the group has none. */
    public Subscription pick() {
        Subscription[] current = members.snapshot();
        if (current.length == 0) {
            return null;
        }
        int start = Math.floorMod(next.getAndIncrement(), current.length);
        for (int i = 0; i < current.length; i++) {
            Subscription candidate = current[(start + i) % current.length];
            if (candidate.subscriber().isReadyForShared()) {
                return candidate;
            }
        }
        // Nobody is ready: queue with the round-robin choice rather than lose the message.
        return current[start];
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
