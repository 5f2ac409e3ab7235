package io.tributary.broker.subscription;

import io.tributary.broker.delivery.Subscriber;
import io.tributary.broker.topic.TopicFilter;
import io.tributary.broker.topic.TopicName;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All subscriptions, as a tree of topic levels, so that matching a topic visits only the branches
 * that can match it (the topic's own levels, '+' and '#') instead of every subscription.
 *
 * <p>Concurrency: {@link #match} runs on every I/O thread at once without locking; it reads nodes whose
 * children are concurrent maps and whose subscription arrays are replaced, never changed in place.
 * Writers ({@link #add}, {@link #remove}) take one lock. A match racing a subscribe may or may not see
 * it, as the protocol allows.
 */
public final class SubscriptionTree {
    private static final SharedGroup[] NO_GROUPS = new SharedGroup[0];

    private final Node root = new Node(null, null);
    private final Object writeLock = new Object();
    private volatile int size;

    /**
     * Adds a subscription, replacing the subscriber's existing one with the same filter [MQTT-3.8.4-3].
     *
     * @return true if it replaced one
     */
    public boolean add(Subscription subscription) {
        synchronized (writeLock) {
            Node node = root;
            for (String level : subscription.filter().levels()) {
                node = node.children.computeIfAbsent(level, key -> new Node(key, null)).withParent(node);
            }
            boolean replaced = subscription.filter().isShared() ? node.addShared(subscription) : node.add(subscription);
            if (!replaced) {
                size++;
            }
            return replaced;
        }
    }

    /** Removes the subscriber's subscription with this filter. @return true if there was one */
    public boolean remove(Subscriber subscriber, TopicFilter filter) {
        synchronized (writeLock) {
            Node node = root;
            for (String level : filter.levels()) {
                node = node.children.get(level);
                if (node == null) {
                    return false;
                }
            }
            boolean removed = filter.isShared() ? node.removeShared(subscriber, filter.shareGroup()) : node.remove(subscriber);
            if (removed) {
                size--;
                prune(node);
            }
            return removed;
        }
    }

    /** How many subscriptions the tree holds. */
    public int size() {
        return size;
    }

    /**
     * Collects every subscription matching {@code topic}. Filters starting with a wildcard do not match
     * topics starting with '$' [MQTT-4.7.2-1].
     */
    public void match(String topic, MatchCollector out) {
        String[] levels = TopicName.levels(topic);
        boolean system = topic.startsWith("$");
        match(root, levels, 0, system, out);
    }

    /**
     * One call per tree node on the way down: the depth is at most the depth of the tree, which the deepest filter
     * sets, and clients' filters are held to the broker's {@code maxTopicLevels}; however many levels the topic has.
     */
    private static void match(Node node, String[] levels, int index, boolean system, MatchCollector out) {
        boolean wildcardsAllowed = !(system && index == 0);
        if (wildcardsAllowed) {
            Node hash = node.children.get("#");
            if (hash != null) {
                // "a/#" also matches "a" itself [MQTT-4.7.1-2]
                hash.collect(out);
            }
        }
        if (index == levels.length) {
            node.collect(out);
            return;
        }
        Node exact = node.children.get(levels[index]);
        if (exact != null) {
            match(exact, levels, index + 1, system, out);
        }
        if (wildcardsAllowed) {
            Node plus = node.children.get("+");
            if (plus != null) {
                match(plus, levels, index + 1, system, out);
            }
        }
    }

    private void prune(Node node) {
        while (node != root && node.isEmpty() && node.children.isEmpty()) {
            Node parent = node.parent;
            parent.children.remove(node.level, node);
            node = parent;
        }
    }

    /** One level of the tree; its lists are changed under the tree's write lock. */
    private static final class Node {
        final String level;
        final Map<String, Node> children = new ConcurrentHashMap<>(4);
        final SubscriptionList subscriptions = new SubscriptionList();
        Node parent;
        volatile SharedGroup[] groups = NO_GROUPS;

        Node(String level, Node parent) {
            this.level = level;
            this.parent = parent;
        }

        Node withParent(Node p) {
            if (parent == null) {
                parent = p;
            }
            return this;
        }

        void collect(MatchCollector out) {
            for (Subscription s : subscriptions.snapshot()) {
                out.add(s);
            }
            for (SharedGroup g : groups) {
                out.addShared(g);
            }
        }

        boolean isEmpty() {
            return subscriptions.isEmpty() && groups.length == 0;
        }

        boolean add(Subscription subscription) {
            return subscriptions.put(subscription);
        }

        boolean remove(Subscriber subscriber) {
            return subscriptions.remove(subscriber);
        }

        boolean addShared(Subscription subscription) {
            SharedGroup[] current = groups;
            for (SharedGroup group : current) {
                if (group.name().equals(subscription.filter().shareGroup())) {
                    return group.add(subscription);
                }
            }
            SharedGroup group = new SharedGroup(subscription.filter().shareGroup(), subscription.filter().raw());
            group.add(subscription);
            SharedGroup[] copy = Arrays.copyOf(current, current.length + 1);
            copy[current.length] = group;
            groups = copy;
            return false;
        }

        boolean removeShared(Subscriber subscriber, String groupName) {
            SharedGroup[] current = groups;
            for (int i = 0; i < current.length; i++) {
                SharedGroup group = current[i];
                if (group.name().equals(groupName) && group.remove(subscriber)) {
                    if (group.isEmpty()) {
                        SharedGroup[] copy = new SharedGroup[current.length - 1];
                        System.arraycopy(current, 0, copy, 0, i);
                        System.arraycopy(current, i + 1, copy, i, current.length - i - 1);
                        groups = copy;
                    }
                    return true;
                }
            }
            return false;
        }
    }
}
