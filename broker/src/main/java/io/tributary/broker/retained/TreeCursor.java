package io.tributary.broker.retained;

import io.tributary.broker.Message;
import io.tributary.broker.RetainedStore;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * Walks the retained tree for one filter without recursion: an explicit stack whose depth is at most the number of
 * the filter's levels plus the depth of the tree below a '#', each frame holding a position in one node's children.
 * Each step does a bounded amount of work, so that a walk over a large tree can be spread over many steps.
 *
 * <p>Filters starting with a wildcard do not match topics starting with '$' [MQTT-4.7.2-1].
 */
final class TreeCursor implements RetainedStore.Cursor {
    /** Nodes one step visits at most, whatever it finds. */
    static final int NODES_PER_STEP = 4096;

    private final String[] levels;
    /** Messages stored at this sequence number or later are left out: they were stored after the cursor began. */
    private final long storedBefore;
    private final ArrayDeque<Object> stack = new ArrayDeque<>();

    /**
     * @param levels the filter's levels; null walks every retained message, '$' topics included
     * @param storedBefore the store's next sequence number when the walk began: a message stored since then reached
     *     a subscriber that was already there as a live message, and must not come again as a retained one
     */
    TreeCursor(InMemoryRetainedStore.Node root, String[] levels, long storedBefore) {
        this.levels = levels;
        this.storedBefore = storedBefore;
        if (levels == null) {
            stack.push(new Subtree(root.children.values().iterator(), false));
        } else {
            stack.push(new At(root, 0));
        }
    }

    @Override
    public boolean next(int max, List<Message> out) {
        int added = 0;
        int visited = 0;
        while (!stack.isEmpty()) {
            if (added >= max || visited >= NODES_PER_STEP) {
                return true;
            }
            visited++;
            Object top = stack.peek();
            if (top instanceof At at) {
                stack.pop();
                added += visit(at, out);
            } else if (top instanceof Children children) {
                InMemoryRetainedStore.Node child = children.next();
                if (child == null) {
                    stack.pop();
                } else {
                    stack.push(new At(child, children.nextIndex));
                }
            } else {
                Subtree subtree = (Subtree) top;
                InMemoryRetainedStore.Node child = subtree.next();
                if (child == null) {
                    stack.pop();
                } else {
                    added += add(child, out);
                    stack.push(new Subtree(child.children.values().iterator(), false));
                }
            }
        }
        return false;
    }

    /** Matches the node reached after {@code at.index} levels of the filter against the next level. */
    private int visit(At at, List<Message> out) {
        if (at.index == levels.length) {
            return add(at.node, out);
        }
        String level = levels[at.index];
        boolean first = at.index == 0;
        if (level.equals("#")) {
            stack.push(new Subtree(at.node.children.values().iterator(), first));
            // "a/#" matches "a" itself [MQTT-4.7.1-2]; the root holds no message.
            return add(at.node, out);
        }
        if (level.equals("+")) {
            stack.push(new Children(at.node.children.values().iterator(), at.index + 1, first));
            return 0;
        }
        InMemoryRetainedStore.Node child = at.node.children.get(level);
        if (child != null) {
            stack.push(new At(child, at.index + 1));
        }
        return 0;
    }

    private int add(InMemoryRetainedStore.Node node, List<Message> out) {
        // The message before its sequence number: the writer sets them the other way round.
        Message message = node.message;
        if (message == null || node.sequence >= storedBefore) {
            return 0;
        }
        out.add(message);
        return 1;
    }

    private record At(InMemoryRetainedStore.Node node, int index) {
    }

    /** The children of a node that a '+' stands for; each continues the match at {@code nextIndex}. */
    private static final class Children {
        final Iterator<InMemoryRetainedStore.Node> iterator;
        final int nextIndex;
        final boolean skipSystem;

        Children(Iterator<InMemoryRetainedStore.Node> iterator, int nextIndex, boolean skipSystem) {
            this.iterator = iterator;
            this.nextIndex = nextIndex;
            this.skipSystem = skipSystem;
        }

        InMemoryRetainedStore.Node next() {
            return nextOf(iterator, skipSystem);
        }
    }

    /** The children of a node under a '#': each one's message matches, and so does everything below it. */
    private static final class Subtree {
        final Iterator<InMemoryRetainedStore.Node> iterator;
        final boolean skipSystem;

        Subtree(Iterator<InMemoryRetainedStore.Node> iterator, boolean skipSystem) {
            this.iterator = iterator;
            this.skipSystem = skipSystem;
        }

        InMemoryRetainedStore.Node next() {
            return nextOf(iterator, skipSystem);
        }
    }

    /** The next child, skipping '$' levels when a leading wildcard is matched; null at the end. */
    private static InMemoryRetainedStore.Node nextOf(Iterator<InMemoryRetainedStore.Node> iterator,
                                                     boolean skipSystem) {
        while (iterator.hasNext()) {
            InMemoryRetainedStore.Node child = iterator.next();
            if (!skipSystem || !child.level.startsWith("$")) {
                return child;
            }
        }
        return null;
    }
}
