package io.tributary.bench.cluster;

import java.util.List;

/**
 * One shape of Tributary the cluster benchmark measures: how many {@code tributary run} processes, and whether they
 * have a {@code cluster:} section. Immutable.
 */
public enum ClusterSystem {
    /** One node without {@code cluster:}: Tributary as a single broker, the reference. */
    SINGLE("single", "single node", 1, false),
    /** One node with {@code cluster:}: the cost of the cluster path alone. */
    ONE_NODE_CLUSTER("one-node-cluster", "one-node cluster", 1, true),
    /** Three nodes with {@code cluster:}, on this one machine. */
    THREE_NODES("three-nodes", "three nodes", 3, true);

    public static final List<ClusterSystem> ALL = List.of(values());

    private final String id;
    private final String displayName;
    private final int nodes;
    private final boolean clustered;

    ClusterSystem(String id, String displayName, int nodes, boolean clustered) {
        this.id = id;
        this.displayName = displayName;
        this.nodes = nodes;
        this.clustered = clustered;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public int nodes() {
        return nodes;
    }

    /** Whether its nodes run with a {@code cluster:} section (and so write to and read from Kafka). */
    public boolean clustered() {
        return clustered;
    }
}
