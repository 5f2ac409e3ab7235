package io.tributary.routes.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.broker.ClusterView;
import io.tributary.broker.InProcessBroker;

/**
 * {@code GET /api/v1/cluster}: this node's name and the cluster's nodes as it sees them (live, sessions owned,
 * last checkpoint). 404 on a node that is not in a cluster. Like the clients it counts, only the tokens of
 * {@code http-api.tokens} may read it.
 *
 * <p>Concurrency: stateless; any thread.
 */
final class ClusterRequests {

    private final InProcessBroker broker;

    ClusterRequests(InProcessBroker broker) {
        this.broker = broker;
    }

    /** {@code {"node": NAME, "nodes": [{"name", "live", "sessions", "lastCheckpoint"}]}}. */
    String describe(String user) {
        ClientRequests.checkOperator(user);
        ClusterView view = view(broker);
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        answer.put("node", view.node());
        ArrayNode nodes = answer.putArray("nodes");
        for (ClusterView.Node node : view.nodes()) {
            nodes.addObject()
                    .put("name", node.name())
                    .put("live", node.live())
                    .put("sessions", node.sessions())
                    .put("lastCheckpoint", node.lastCheckpoint().toString());
        }
        return ApiJson.write(answer);
    }

    /** The broker's cluster view; 404 when it is not in a cluster. */
    static ClusterView view(InProcessBroker broker) {
        return broker.clusterView().orElseThrow(() -> ApiException.notFound("this node is not in a cluster "
                + "(no cluster: section in its configuration)"));
    }
}
