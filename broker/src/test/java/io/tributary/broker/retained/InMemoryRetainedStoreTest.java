package io.tributary.broker.retained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.RetainedStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The retained tree: what a filter matches, walking in bounded steps, and the limits by count and by bytes. */
class InMemoryRetainedStoreTest {

    private static Message retained(String topic, String payload) {
        return Message.of(topic, payload, QoS.AT_MOST_ONCE, true);
    }

    private static InMemoryRetainedStore storeWith(String... topics) {
        InMemoryRetainedStore store = new InMemoryRetainedStore();
        for (String topic : topics) {
            assertTrue(store.put(retained(topic, "v")));
        }
        return store;
    }

    private static Set<String> topics(List<Message> messages) {
        Set<String> topics = new TreeSet<>();
        messages.forEach(m -> topics.add(m.topic()));
        return topics;
    }

    @Test
    void filtersMatchAsTheSpecificationSays() {
        InMemoryRetainedStore store = storeWith("a", "a/b", "a/b/c", "a/x/c", "/a", "a//c", "$SYS/up", "b");
        assertEquals(Set.of("a", "a/b", "a/b/c", "a/x/c", "/a", "a//c", "b"), topics(store.matching("#")));
        assertEquals(Set.of("a", "a/b", "a/b/c", "a/x/c", "a//c"), topics(store.matching("a/#")), "a/# matches a");
        assertEquals(Set.of("a/b/c", "a/x/c", "a//c"), topics(store.matching("a/+/c")));
        assertEquals(Set.of("a", "b"), topics(store.matching("+")));
        assertEquals(Set.of("/a"), topics(store.matching("+/a")));
        assertEquals(Set.of("$SYS/up"), topics(store.matching("$SYS/#")), "$ topics only by name [MQTT-4.7.2-1]");
        assertEquals(Set.of(), topics(store.matching("+/up")));
        assertEquals(Set.of("a/b"), topics(store.matching("a/b")));
        assertEquals(Set.of(), topics(store.matching("a/b/c/d")));
        assertEquals(8, store.all().size(), "all() includes $ topics");
    }

    @Test
    void aCursorAddsAtMostWhatItIsAskedForAndVisitsABoundedNumberOfNodesPerStep() {
        InMemoryRetainedStore store = new InMemoryRetainedStore();
        for (int i = 0; i < 10_000; i++) {
            store.put(retained("deep/" + i + "/leaf", "v"));
        }
        store.put(retained("other/match", "v"));
        RetainedStore.Cursor cursor = store.cursor("+/match");
        List<Message> out = new ArrayList<>();
        int steps = 0;
        boolean more = true;
        while (more) {
            int before = out.size();
            more = cursor.next(1, out);
            assertTrue(out.size() - before <= 1);
            steps++;
        }
        assertEquals(Set.of("other/match"), topics(out));
        // 10,000 nodes under "deep" to look through for "match": more than one step's worth.
        assertTrue(steps >= 2, "steps: " + steps);

        RetainedStore.Cursor all = store.cursor("deep/#");
        List<Message> batch = new ArrayList<>();
        assertTrue(all.next(64, batch));
        assertEquals(64, batch.size());
    }

    @Test
    void aCursorLeavesOutWhatWasStoredAfterItBegan() {
        InMemoryRetainedStore store = storeWith("q/1");
        RetainedStore.Cursor cursor = store.cursor("q/#");
        // Stored after the subscription: the subscriber gets these live, so not again as retained messages.
        store.put(retained("q/2", "v"));
        store.put(retained("q/1", "newer"));
        List<Message> out = new ArrayList<>();
        while (cursor.next(Integer.MAX_VALUE, out)) {
            // each step adds what it found
        }
        assertEquals(List.of(), out);
        assertEquals(Set.of("q/1", "q/2"), topics(store.matching("q/#")), "a cursor begun now sees both");
    }

    @Test
    void theCountLimitRefusesNewTopicsButNotReplacements() {
        InMemoryRetainedStore store = new InMemoryRetainedStore(2, Long.MAX_VALUE);
        assertTrue(store.put(retained("a", "1")));
        assertTrue(store.put(retained("b", "1")));
        assertFalse(store.hasRoomFor(retained("c", "1")));
        assertFalse(store.put(retained("c", "1")));
        assertTrue(store.put(retained("a", "2")), "a replacement is always taken");
        store.remove("b");
        assertTrue(store.put(retained("c", "1")));
        assertEquals(Set.of("a", "c"), topics(store.all()));
        assertEquals("2", store.matching("a").get(0).payloadAsString());
    }

    @Test
    void theByteLimitCountsPayloadAndTopic() {
        InMemoryRetainedStore store = new InMemoryRetainedStore(Integer.MAX_VALUE, 10);
        assertTrue(store.put(retained("ab", "123")));       // 5 bytes
        assertTrue(store.put(retained("cd", "456")));       // 10
        assertEquals(10, store.bytes());
        assertFalse(store.put(retained("e", "")), "11 bytes");
        assertFalse(store.put(retained("ab", "1234")), "a replacement that grows past the limit");
        assertTrue(store.put(retained("ab", "1")), "a replacement that shrinks");
        assertEquals(8, store.bytes());
        store.remove("cd");
        assertEquals(3, store.bytes());
        assertEquals(1, store.size());
    }

    @Test
    void removingPrunesEmptyBranches() {
        InMemoryRetainedStore store = storeWith("a/b/c");
        store.remove("a/b/c");
        store.remove("never/there");
        assertEquals(0, store.size());
        assertTrue(store.matching("#").isEmpty());
    }
}
