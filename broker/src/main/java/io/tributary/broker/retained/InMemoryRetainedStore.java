package io.tributary.broker.retained;

import io.tributary.broker.Message;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.topic.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link RetainedStore}: a tree of topic levels, like the subscription tree, so that a wildcard filter
 * walks only the branches that can match it and costs in proportion to what it matches, not to every retained
 * topic. Bounded by a number of topics and a number of bytes (payload plus topic): a message that would go past
 * either is not stored.
 *
 * <p>Concurrency: readers ({@link #matching}, {@link #cursor}, {@link #all}) walk the tree without locking: each
 * node's children are a concurrent map and its message a volatile field. Writers take one lock, which also keeps
 * the totals exact.
 */
public final class InMemoryRetainedStore implements RetainedStore {
    private final Node root = new Node(null, null);
    private final Object writeLock = new Object();
    private final int maxMessages;
    private final long maxBytes;
    private volatile int count;
    // Guarded by writeLock.
    private long bytes;
    /** The sequence number the next stored message gets; a cursor leaves out those stored after it began. */
    private volatile long nextSequence;

    /** A store without limits, for tests and embedding. */
    public InMemoryRetainedStore() {
        this(Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * @param maxMessages topics that may hold a retained message
     * @param maxBytes bytes, payload plus topic, all retained messages may take
     */
    public InMemoryRetainedStore(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean put(Message message) {
        String[] levels = TopicName.levels(message.topic());
        synchronized (writeLock) {
            Node existing = find(levels);
            Message previous = existing == null ? null : existing.message;
            if (!fits(previous, message)) {
                return false;
            }
            Node node = root;
            for (String level : levels) {
                Node parent = node;
                node = node.children.computeIfAbsent(level, key -> new Node(key, parent));
            }
            node.sequence = nextSequence++;
            node.message = message;
            if (previous == null) {
                count++;
            } else {
                bytes -= sizeOf(previous);
            }
            bytes += sizeOf(message);
            return true;
        }
    }

    @Override
    public boolean hasRoomFor(Message message) {
        String[] levels = TopicName.levels(message.topic());
        synchronized (writeLock) {
            Node existing = find(levels);
            return fits(existing == null ? null : existing.message, message);
        }
    }

    /** Whether replacing {@code previous} (null: none) with {@code message} stays within the limits. */
    private boolean fits(Message previous, Message message) {
        long newBytes = bytes - (previous == null ? 0 : sizeOf(previous)) + sizeOf(message);
        long newCount = count + (previous == null ? 1 : 0);
        // A replacement that does not grow the store is always taken, so a full store still updates.
        return (newCount <= maxMessages && newBytes <= maxBytes) || (previous != null && newBytes <= bytes);
    }

    @Override
    public void remove(String topic) {
        String[] levels = TopicName.levels(topic);
        synchronized (writeLock) {
            Node node = find(levels);
            if (node == null || node.message == null) {
                return;
            }
            bytes -= sizeOf(node.message);
            count--;
            node.message = null;
            while (node != root && node.message == null && node.children.isEmpty()) {
                node.parent.children.remove(node.level, node);
                node = node.parent;
            }
        }
    }

    private Node find(String[] levels) {
        Node node = root;
        for (String level : levels) {
            node = node.children.get(level);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    @Override
    public List<Message> matching(String filter) {
        List<Message> found = new ArrayList<>();
        Cursor cursor = cursor(filter);
        while (cursor.next(Integer.MAX_VALUE, found)) {
            // each step adds what it found
        }
        return found;
    }

    @Override
    public Cursor cursor(String filter) {
        return new TreeCursor(root, TopicName.levels(filter), nextSequence);
    }

    @Override
    public List<Message> all() {
        List<Message> found = new ArrayList<>(count);
        Cursor cursor = new TreeCursor(root, null, Long.MAX_VALUE);
        while (cursor.next(Integer.MAX_VALUE, found)) {
            // each step adds what it found
        }
        return found;
    }

    @Override
    public int size() {
        return count;
    }

    /** Bytes the retained messages take, payload plus topic, as the limit counts them. */
    public long bytes() {
        synchronized (writeLock) {
            return bytes;
        }
    }

    /** What a message counts against the byte limit: its payload and its topic (UTF-16 length as an estimate). */
    static long sizeOf(Message message) {
        return (long) message.payload().length + message.topic().length();
    }

    /** One topic level; {@code message} is the retained message of the topic ending here, if any. */
    static final class Node {
        final String level;
        final Node parent;
        final Map<String, Node> children = new ConcurrentHashMap<>(4);
        volatile Message message;
        /** When {@link #message} was stored, by the store's sequence; written before the message. */
        volatile long sequence;

        Node(String level, Node parent) {
            this.level = level;
            this.parent = parent;
        }
    }
}
