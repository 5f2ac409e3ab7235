package io.tributary.broker.subscription;

import io.tributary.broker.delivery.Subscriber;
import java.util.Arrays;

/**
 * At most one subscription per subscriber, as an array that readers take without locking: every change
 * replaces the array. Changes are made under the {@link SubscriptionTree}'s write lock.
 */
final class SubscriptionList {
    private static final Subscription[] NONE = new Subscription[0];

    private volatile Subscription[] items = NONE;

    /** The current subscriptions; never modify the array. */
    Subscription[] snapshot() {
        return items;
    }

    /** Adds {@code subscription}, replacing its subscriber's previous one. @return true if it replaced one */
    boolean put(Subscription subscription) {
        Subscription[] current = items;
        int index = indexOf(current, subscription.subscriber());
        if (index >= 0) {
            Subscription[] copy = current.clone();
            copy[index] = subscription;
            items = copy;
            return true;
        }
        Subscription[] copy = Arrays.copyOf(current, current.length + 1);
        copy[current.length] = subscription;
        items = copy;
        return false;
    }

    /** Removes the subscriber's subscription. @return true if it had one */
    boolean remove(Subscriber subscriber) {
        Subscription[] current = items;
        int index = indexOf(current, subscriber);
        if (index < 0) {
            return false;
        }
        if (current.length == 1) {
            items = NONE;
        } else {
            Subscription[] copy = new Subscription[current.length - 1];
            System.arraycopy(current, 0, copy, 0, index);
            System.arraycopy(current, index + 1, copy, index, current.length - index - 1);
            items = copy;
        }
        return true;
    }

    boolean isEmpty() {
        return items.length == 0;
    }

    private static int indexOf(Subscription[] items, Subscriber subscriber) {
        for (int i = 0; i < items.length; i++) {
            if (items[i].subscriber() == subscriber) {
                return i;
            }
        }
        return -1;
    }
}
