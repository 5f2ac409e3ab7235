package io.tributary.bridge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Puts environment variables' values into a composed YAML tree. Each node they make remembers its variable, so
 * that the readers report a problem with it at the variable rather than at a line, and take its text as written.
 * The tree is not changed in place: the nodes along the way are copied, since a YAML alias shares one node
 * between several places and an override is for one of them.
 */
final class OverrideNodes {

    /** One step from a node to one of its children. */
    sealed interface Step permits Key, Item {
    }

    /** The value of a key of a mapping, added when the mapping lacks it. */
    record Key(String name) implements Step {
    }

    /** An item of a list. */
    record Item(int index) implements Step {
    }

    private static final String VARIABLE = "tributary.environment-variable";

    private OverrideNodes() {
    }

    /** A scalar holding a variable's value. */
    static ScalarNode scalar(String variable, String value) {
        return remember(new ScalarNode(Tag.STR, value, ScalarStyle.PLAIN), variable);
    }

    /** The variable a node was made from, when it was. */
    static Optional<String> variableOf(Node node) {
        return Optional.ofNullable((String) node.getProperty(VARIABLE));
    }

    /**
     * The tree of {@code root} with {@code value} at the end of {@code steps}. A missing mapping on the way is
     * added (a YAML null stands for an empty one); the steps must lead through mappings and lists only.
     *
     * @param root the top of the tree; null for an empty file
     */
    static Node set(Node root, List<Step> steps, ScalarNode value) {
        if (steps.isEmpty()) {
            return value;
        }
        Step step = steps.get(0);
        List<Step> rest = steps.subList(1, steps.size());
        String variable = variableOf(value).orElseThrow();
        if (step instanceof Item item) {
            SequenceNode list = (SequenceNode) root;
            List<Node> items = new ArrayList<>(list.getValue());
            items.set(item.index(), set(items.get(item.index()), rest, value));
            return copyOrigin(list, new SequenceNode(list.getTag(), true, items, list.getFlowStyle(),
                    list.getStartMark(), list.getEndMark()));
        }
        String name = ((Key) step).name();
        MappingNode mapping = root instanceof MappingNode found ? found : emptyMapping(root, variable);
        List<NodeTuple> tuples = new ArrayList<>(mapping.getValue());
        int index = indexOf(tuples, name);
        if (index < 0) {
            tuples.add(new NodeTuple(remember(new ScalarNode(Tag.STR, name, ScalarStyle.PLAIN), variable),
                    set(null, rest, value)));
        } else {
            NodeTuple tuple = tuples.get(index);
            tuples.set(index, new NodeTuple(tuple.getKeyNode(), set(tuple.getValueNode(), rest, value)));
        }
        return copyOrigin(mapping, new MappingNode(mapping.getTag(), true, tuples, mapping.getFlowStyle(),
                mapping.getStartMark(), mapping.getEndMark()));
    }

    /** The first value of a key, as the readers take it (they report the repeats). */
    private static int indexOf(List<NodeTuple> tuples, String name) {
        for (int i = 0; i < tuples.size(); i++) {
            if (tuples.get(i).getKeyNode() instanceof ScalarNode key && key.getValue().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** A mapping standing for an absent one, or for a YAML null, whose place in the file it keeps. */
    private static MappingNode emptyMapping(Node absentOrNull, String variable) {
        if (absentOrNull == null) {
            return remember(new MappingNode(Tag.MAP, List.of(), FlowStyle.BLOCK), variable);
        }
        return new MappingNode(Tag.MAP, true, List.of(), FlowStyle.BLOCK, absentOrNull.getStartMark(),
                absentOrNull.getEndMark());
    }

    private static <N extends Node> N copyOrigin(Node from, N to) {
        variableOf(from).ifPresent(variable -> remember(to, variable));
        return to;
    }

    private static <N extends Node> N remember(N node, String variable) {
        node.setProperty(VARIABLE, variable);
        return node;
    }
}
