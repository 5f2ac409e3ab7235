package io.tributary.broker.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.QoS;
import io.tributary.broker.topic.TopicFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link SubscriptionTree}: matching per section 4.7, shared groups, replace, remove and pruning. */
class SubscriptionTreeTest {

    /** Records what a match finds. */
    static final class Collected implements MatchCollector {
        final List<Subscription> subscriptions = new ArrayList<>();
        final List<SharedGroup> groups = new ArrayList<>();

        @Override
        public void add(Subscription subscription) {
            subscriptions.add(subscription);
        }

        @Override
        public void addShared(SharedGroup group) {
            groups.add(group);
        }

        Set<String> filters() {
            Set<String> raw = new TreeSet<>();
            subscriptions.forEach(s -> raw.add(s.filter().raw()));
            return raw;
        }
    }

    static Subscription sub(FakeSubscriber subscriber, String filter, QoS qos) {
        return new Subscription(subscriber, TopicFilter.parse(filter), qos, false, false, 0, 0);
    }

    static Collected match(SubscriptionTree tree, String topic) {
        Collected collected = new Collected();
        tree.match(topic, collected);
        return collected;
    }

    @ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "#|a|true", "#|a/b/c|true", "#|/|true", "#|\"/x\"|true",
            // '#' also matches the parent level [MQTT-4.7.1-2]
            "a/#|a|true", "a/#|a/b|true", "a/#|a/b/c|true", "a/#|ab|false", "a/#|b/a|false", "a/#|a/|true",
            // '+' matches exactly one level, empty ones included [MQTT-4.7.1-3]
            "+|a|true", "+|a/b|false", "+|/|false",
            "a/+|a/b|true", "a/+|a|false", "a/+|a/|true", "a/+|a/b/c|false",
            "+/+|/x|true", "+/+|x/|true", "+/+|/|true", "+/+|a|false", "+/+|a/b/c|false",
            "/+|/x|true", "/+|x|false", "+/x|/x|true",
            "a//b|a//b|true", "a/+/b|a//b|true", "a//b|a/b|false",
            "+/#|a|true", "+/#|/|true", "a/+/#|a/b|true", "a/+/#|a|false",
            "a/b|a/b|true", "a/b|a/b/|false", "a/b|A/b|false",
            // filters starting with a wildcard do not match '$' topics [MQTT-4.7.2-1]
            "#|$SYS/info|false", "+/info|$SYS/info|false", "+|$SYS|false", "+/#|$SYS/x|false",
            "$SYS/#|$SYS/info|true", "$SYS/#|$SYS|true", "$SYS/+|$SYS/info|true", "$SYS/info|$SYS/info|true",
            "a/$x|a/$x|true", "a/+|a/$x|true", "a/#|a/$x|true",
    })
    void matchesLikeSection4_7(String filter, String topic, boolean matches) {
        SubscriptionTree tree = new SubscriptionTree();
        tree.add(sub(new FakeSubscriber("c"), filter, QoS.AT_MOST_ONCE));
        assertEquals(matches, match(tree, topic).subscriptions.size() == 1, filter + " vs " + topic);
        // TopicFilter.matches must agree with the tree.
        assertEquals(matches, TopicFilter.parse(filter).matches(topic), "TopicFilter.matches " + filter + " vs " + topic);
    }

    @Test
    void oneTopicCollectsEveryMatchingFilterOnce() {
        SubscriptionTree tree = new SubscriptionTree();
        FakeSubscriber c = new FakeSubscriber("c");
        for (String f : List.of("#", "a/#", "a/+", "+/b", "a/b", "a/b/#", "+/+/+", "a/c", "b/#")) {
            tree.add(sub(c, f, QoS.AT_MOST_ONCE));
        }
        assertEquals(new TreeSet<>(List.of("#", "a/#", "a/+", "+/b", "a/b", "a/b/#")), match(tree, "a/b").filters());
        assertEquals(9, tree.size());
    }

    @Test
    void addingTheSameFilterForTheSameSubscriberReplacesIt() {
        SubscriptionTree tree = new SubscriptionTree();
        FakeSubscriber c = new FakeSubscriber("c");
        assertFalse(tree.add(sub(c, "r/+", QoS.AT_MOST_ONCE)));
        // A new subscription with the same filter replaces the existing one [MQTT-3.8.4-3].
        assertTrue(tree.add(sub(c, "r/+", QoS.EXACTLY_ONCE)));
        assertEquals(1, tree.size());
        Collected found = match(tree, "r/x");
        assertEquals(1, found.subscriptions.size());
        assertEquals(QoS.EXACTLY_ONCE, found.subscriptions.get(0).maxQos());
    }

    @Test
    void differentSubscribersOnOneFilterAreKeptApart() {
        SubscriptionTree tree = new SubscriptionTree();
        FakeSubscriber a = new FakeSubscriber("a");
        FakeSubscriber b = new FakeSubscriber("b");
        tree.add(sub(a, "t", QoS.AT_MOST_ONCE));
        tree.add(sub(b, "t", QoS.AT_MOST_ONCE));
        assertEquals(2, tree.size());
        assertEquals(2, match(tree, "t").subscriptions.size());
        assertTrue(tree.remove(a, TopicFilter.parse("t")));
        Collected left = match(tree, "t");
        assertEquals(1, left.subscriptions.size());
        assertSame(b, left.subscriptions.get(0).subscriber());
    }

    @Test
    void removeNeedsTheExactFilterAndSubscriber() {
        SubscriptionTree tree = new SubscriptionTree();
        FakeSubscriber a = new FakeSubscriber("a");
        tree.add(sub(a, "x/y", QoS.AT_MOST_ONCE));
        // Filters are compared character by character, not matched [MQTT-3.10.4-1].
        assertFalse(tree.remove(a, TopicFilter.parse("x/+")));
        assertFalse(tree.remove(a, TopicFilter.parse("x/y/z")));
        assertFalse(tree.remove(a, TopicFilter.parse("nothing/here")));
        assertFalse(tree.remove(new FakeSubscriber("other"), TopicFilter.parse("x/y")));
        assertEquals(1, tree.size());
        assertTrue(tree.remove(a, TopicFilter.parse("x/y")));
        assertFalse(tree.remove(a, TopicFilter.parse("x/y")), "already gone");
        assertEquals(0, tree.size());
        assertTrue(match(tree, "x/y").subscriptions.isEmpty());
    }

    @Test
    void removingADeepSubscriptionPrunesButKeepsSiblingsAndAncestors() {
        SubscriptionTree tree = new SubscriptionTree();
        FakeSubscriber a = new FakeSubscriber("a");
        tree.add(sub(a, "p", QoS.AT_MOST_ONCE));
        tree.add(sub(a, "p/q/r/s", QoS.AT_MOST_ONCE));
        tree.add(sub(a, "p/q/t", QoS.AT_MOST_ONCE));
        assertTrue(tree.remove(a, TopicFilter.parse("p/q/r/s")));
        assertEquals(Set.of("p"), match(tree, "p").filters());
        assertEquals(Set.of("p/q/t"), match(tree, "p/q/t").filters());
        assertTrue(match(tree, "p/q/r/s").subscriptions.isEmpty());
        // After pruning, the same path can be subscribed again and matches.
        tree.add(sub(a, "p/q/r/s", QoS.AT_LEAST_ONCE));
        assertEquals(Set.of("p/q/r/s"), match(tree, "p/q/r/s").filters());
        assertTrue(tree.remove(a, TopicFilter.parse("p/q/t")));
        assertTrue(tree.remove(a, TopicFilter.parse("p/q/r/s")));
        assertTrue(tree.remove(a, TopicFilter.parse("p")));
        assertEquals(0, tree.size());
    }

    @Test
    void sharedSubscriptionsAreCollectedAsGroupsNotSubscriptions() {
        SubscriptionTree tree = new SubscriptionTree();
        FakeSubscriber a = new FakeSubscriber("a");
        FakeSubscriber b = new FakeSubscriber("b");
        tree.add(sub(a, "$share/g1/s/#", QoS.AT_MOST_ONCE));
        tree.add(sub(b, "$share/g1/s/#", QoS.AT_MOST_ONCE));
        tree.add(sub(a, "$share/g2/s/#", QoS.AT_MOST_ONCE));
        tree.add(sub(a, "s/#", QoS.AT_MOST_ONCE));
        assertEquals(4, tree.size());
        Collected found = match(tree, "s/1");
        assertEquals(Set.of("s/#"), found.filters());
        Set<String> groups = new TreeSet<>();
        found.groups.forEach(g -> groups.add(g.name()));
        assertEquals(Set.of("g1", "g2"), groups);
        // A shared filter matches like its filter part: "$share/g/#" is '#', which skips '$' topics [MQTT-4.7.2-1].
        tree.add(sub(a, "$share/g3/#", QoS.AT_MOST_ONCE));
        assertEquals(3, match(tree, "s/2").groups.size());
        assertTrue(match(tree, "$SYS/x").groups.isEmpty());
    }

    @Test
    void sharedGroupPicksRoundRobinAndSkipsMembersThatAreNotReady() {
        SubscriptionTree tree = new SubscriptionTree();
        FakeSubscriber a = new FakeSubscriber("a");
        FakeSubscriber b = new FakeSubscriber("b");
        FakeSubscriber c = new FakeSubscriber("c");
        for (FakeSubscriber s : List.of(a, b, c)) {
            tree.add(sub(s, "$share/g/rr", QoS.AT_MOST_ONCE));
        }
        SharedGroup group = match(tree, "rr").groups.get(0);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            counts.merge(group.pick("a").subscriber().clientId(), 1, Integer::sum);
        }
        assertEquals(Map.of("a", 10, "b", 10, "c", 10), counts);
        b.ready = false;
        for (int i = 0; i < 10; i++) {
            assertFalse(group.pick("a").subscriber() == b, "a member that is not ready is skipped while others are");
        }
        a.ready = false;
        c.ready = false;
        assertTrue(group.pick("a") != null, "when nobody is ready the message still goes to someone");
    }

    @Test
    void aSharedGroupPicksOnlyAmongTheMembersItIsAskedFor() {
        SubscriptionTree tree = new SubscriptionTree();
        FakeSubscriber a = new FakeSubscriber("a");
        FakeSubscriber b = new FakeSubscriber("b");
        FakeSubscriber c = new FakeSubscriber("c");
        for (FakeSubscriber s : List.of(a, b, c)) {
            tree.add(sub(s, "$share/g/among", QoS.AT_MOST_ONCE));
        }
        SharedGroup group = match(tree, "among").groups.get(0);
        for (int i = 0; i < 9; i++) {
            assertTrue(group.pick("a", s -> s != b).subscriber() != b, "b is not among those asked for");
        }
        b.ready = false;
        assertTrue(group.pick("a", s -> s == b).subscriber() == b,
                "the only member asked for gets it even when not ready");
        assertNull(group.pick("a", s -> false), "nobody asked for: nobody picked");
    }

    @Test
    void reSubscribingToASharedGroupReplacesTheMemberAndUnsubscribingTheLastRemovesTheGroup() {
        SubscriptionTree tree = new SubscriptionTree();
        FakeSubscriber a = new FakeSubscriber("a");
        assertFalse(tree.add(sub(a, "$share/g/x", QoS.AT_MOST_ONCE)));
        assertTrue(tree.add(sub(a, "$share/g/x", QoS.AT_LEAST_ONCE)));
        assertEquals(1, tree.size());
        SharedGroup group = match(tree, "x").groups.get(0);
        assertEquals(QoS.AT_LEAST_ONCE, group.pick("a").maxQos());
        assertFalse(tree.remove(a, TopicFilter.parse("$share/other/x")), "another group");
        assertFalse(tree.remove(a, TopicFilter.parse("x")), "the non-shared filter");
        assertTrue(tree.remove(a, TopicFilter.parse("$share/g/x")));
        assertEquals(0, tree.size());
        assertTrue(match(tree, "x").groups.isEmpty());
        assertNull(group.pick("a"), "an empty group picks nobody");
    }
}
