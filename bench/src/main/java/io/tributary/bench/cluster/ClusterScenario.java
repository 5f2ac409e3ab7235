package io.tributary.bench.cluster;

import java.util.List;

/**
 * Where the subscribers of one run sit and at which QoS everybody publishes and subscribes. The publishers are
 * always on node 1. Immutable.
 *
 * @param spread true: subscriber {@code j} on node {@code j mod nodes} (most messages cross nodes); false: every
 *     subscriber on node 1 (nothing needs another node: the interest filter's zero-append path)
 */
public record ClusterScenario(String id, int qos, boolean spread) {

    public static final ClusterScenario REMOTE_QOS1 = new ClusterScenario("remote-qos1", 1, true);
    public static final ClusterScenario LOCAL_QOS1 = new ClusterScenario("local-qos1", 1, false);
    public static final ClusterScenario REMOTE_QOS0 = new ClusterScenario("remote-qos0", 0, true);
    public static final ClusterScenario LOCAL_QOS0 = new ClusterScenario("local-qos0", 0, false);

    public static final List<ClusterScenario> ALL = List.of(REMOTE_QOS1, LOCAL_QOS1, REMOTE_QOS0, LOCAL_QOS0);

    public ClusterScenario {
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException("qos must be 0 or 1, was " + qos);
        }
    }

    /** The index (from 0) of the node subscriber {@code subscriber} connects to, among {@code nodes}. */
    public int nodeOf(int subscriber, int nodes) {
        return spread ? subscriber % nodes : 0;
    }

    /**
     * Whether this scenario means something on {@code nodes} nodes: with one node, spreading the subscribers puts
     * them all on node 1, which is the local scenario again.
     */
    public boolean runsOn(int nodes) {
        return !spread || nodes > 1;
    }

    /** The scenario's subscribers' place, in words, for reports. */
    public String placement() {
        return spread ? "subscribers round-robin over the nodes" : "every subscriber on node 1";
    }
}
