package io.tributary.broker.acl;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The decisions of one client for one kind of access, by topic, bounded: when full it starts over, which keeps
 * memory per connection fixed and costs one round of recomputing; reads take no lock.
 */
final class DecisionCache {
    /** Topics remembered per client and kind of access. */
    static final int MAX_TOPICS = 1024;

    private final ConcurrentHashMap<String, Boolean> decisions = new ConcurrentHashMap<>();

    /** The remembered decision for {@code topic}, or null. */
    Boolean get(String topic) {
        return decisions.get(topic);
    }

    /** The decision for {@code topic}: the remembered one, or {@code rule}'s, remembered. */
    boolean decide(String topic, Predicate<String> rule) {
        Boolean known = decisions.get(topic);
        if (known != null) {
            return known;
        }
        boolean allowed = rule.test(topic);
        put(topic, allowed);
        return allowed;
    }

    void put(String topic, boolean allowed) {
        if (decisions.size() >= MAX_TOPICS) {
            decisions.clear();
        }
        decisions.put(topic, allowed);
    }
}
