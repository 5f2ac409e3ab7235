package io.tributary.broker;

import java.time.Instant;
import java.util.List;

/**
 * The cluster as this node sees it at one moment, for health, the HTTP API, the console and metrics: the nodes
 * known from their checkpoints in the sessions topic, and every client in the cluster's session table. Read-only
 * and immutable; no Kafka type.
 *
 * @param node    this node's name
 * @param nodes   every node that ever wrote a checkpoint the table still holds, sorted by name; this node is live
 * @param clients every client in the cluster's session table, sorted by client id
 */
public record ClusterView(String node, List<Node> nodes, List<Client> clients) {

    public ClusterView {
        nodes = List.copyOf(nodes);
        clients = List.copyOf(clients);
    }

    /**
     * One node of the cluster.
     *
     * @param live           its checkpoint (a heartbeat written at least every second) is newer than the
     *                       cluster's failure timeout, by this node's clock; this node itself is always live
     * @param lastCheckpoint when its last checkpoint was written, by its own clock
     * @param sessions       the sessions it owns in the cluster's table
     */
    public record Node(String name, boolean live, Instant lastCheckpoint, int sessions) {
    }

    /**
     * One client of the cluster's session table.
     *
     * @param node       the node that owns its session
     * @param connected  whether it is connected there now
     * @param persistent whether its session outlives its connection
     */
    public record Client(String clientId, String node, boolean connected, boolean persistent) {
    }

    /** The names of the live nodes, sorted. */
    public List<String> liveNodes() {
        return nodes.stream().filter(Node::live).map(Node::name).toList();
    }
}
