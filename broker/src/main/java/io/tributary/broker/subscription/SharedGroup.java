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
    private final String filter;
    private final AtomicInteger next = new AtomicInteger();
    private final SubscriptionList members = new SubscriptionList();

    SharedGroup(String name, String filter) {
        this.name = name;
        this.filter = filter;
    }

    public String name() {
        return name;
    }

    /** The shared subscription's filter as its members gave it, {@code $share/G/filter}: the group, cluster-wide. */
    public String filter() {
        return filter;
    }

    /**
     * The member whose client id is {@code clientId}, if it may receive a message on {@code topic} and
     * {@code among} accepts it (null: any); else null. In a cluster, the member the message's origin chose.
     */
    public Subscription pickNamed(String clientId, String topic, Predicate<Subscriber> among) {
        for (Subscription candidate : members.snapshot()) {
            Subscriber subscriber = candidate.subscriber();
            if (clientId.equals(subscriber.clientId()) && subscriber.mayReceive(topic)
                    && (among == null || among.test(subscriber))) {
                return candidate;
            }
        }
        return null;
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
                if (i > 0) {
                    // Move the turn past the members skipped, so that the member after them does not get two turns
                    // (with one member offline of four, it had half the messages).
                    next.addAndGet(i);
                }
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
