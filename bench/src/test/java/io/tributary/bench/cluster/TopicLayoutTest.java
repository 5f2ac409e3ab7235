package io.tributary.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.broker.topic.TopicFilter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicLayoutTest {

    private final TopicLayout layout = new TopicLayout(30);
    private final List<TopicFilter> filters = filters(layout, 30);

    @Test
    void everyMessageMatchesExactlyTheFilterOfItsOneSubscriber() {
        for (int publisher = 0; publisher < 20; publisher++) {
            for (int sequence = 0; sequence < 90; sequence++) {
                String topic = layout.topicOf(publisher, sequence);
                assertEquals(List.of(layout.subscriberOf(publisher, sequence)), matching(topic), topic);
            }
        }
    }

    @Test
    void everySubscriberGetsOneOfEachPublishersMessagesInEveryRoundOfThirty() {
        for (int publisher = 0; publisher < 20; publisher++) {
            int[] perSubscriber = new int[30];
            for (int sequence = 1_000; sequence < 1_030; sequence++) {
                perSubscriber[layout.subscriberOf(publisher, sequence)]++;
            }
            for (int count : perSubscriber) {
                assertEquals(1, count, "publisher " + publisher);
            }
        }
    }

    @Test
    void aProbeReachesOnlyTheSubscriberItIsFor() {
        for (int subscriber = 0; subscriber < 30; subscriber++) {
            assertEquals(List.of(subscriber), matching(layout.probeTopicOf(subscriber)));
        }
    }

    private List<Integer> matching(String topic) {
        List<Integer> subscribers = new ArrayList<>();
        for (int k = 0; k < filters.size(); k++) {
            if (filters.get(k).matches(topic)) {
                subscribers.add(k);
            }
        }
        return subscribers;
    }

    private static List<TopicFilter> filters(TopicLayout layout, int subscribers) {
        List<TopicFilter> filters = new ArrayList<>();
        for (int k = 0; k < subscribers; k++) {
            filters.add(TopicFilter.parse(layout.filterOf(k)));
        }
        return filters;
    }
}
