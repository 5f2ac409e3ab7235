package io.tributary.broker.retained;

import io.tributary.broker.Message;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.topic.TopicFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link RetainedStore}: a concurrent map from topic to message. A filter without
 * wildcards is one lookup; a wildcard filter scans the retained topics (subscribes are rare next to
 * publishes, and the publish path never scans).
 */
public final class InMemoryRetainedStore implements RetainedStore {
    private final ConcurrentHashMap<String, Message> byTopic = new ConcurrentHashMap<>();

    @Override
    public void put(Message message) {
        byTopic.put(message.topic(), message);
    }

    @Override
    public void remove(String topic) {
        byTopic.remove(topic);
    }

    @Override
    public List<Message> matching(String filter) {
        TopicFilter parsed = TopicFilter.parse(filter);
        if (!parsed.hasWildcard()) {
            Message exact = byTopic.get(filter);
            return exact == null ? List.of() : List.of(exact);
        }
        List<Message> found = new ArrayList<>();
        for (Message message : byTopic.values()) {
            if (parsed.matches(message.topic())) {
                found.add(message);
            }
        }
        return found;
    }

    @Override
    public List<Message> all() {
        return new ArrayList<>(byTopic.values());
    }

    @Override
    public int size() {
        return byTopic.size();
    }
}
