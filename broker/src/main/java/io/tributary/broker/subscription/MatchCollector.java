package io.tributary.broker.subscription;

/** Receives what {@link SubscriptionTree#match} finds. */
public interface MatchCollector {
    void add(Subscription subscription);

    void addShared(SharedGroup group);
}
