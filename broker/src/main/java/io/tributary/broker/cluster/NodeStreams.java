package io.tributary.broker.cluster;

import io.tributary.broker.BrokerState;
import io.tributary.broker.QoS;
import io.tributary.broker.session.SessionSummary;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * This node's in-process subscriptions that want every node's messages ({@code SubscribeOptions.everyNode()}: the
 * HTTP API's event streams), made known to the cluster's subscription table as one entry of this node, client id
 * {@code $streams/<node>}, so that other nodes append their matching publishes for this node too.
 *
 * <p>Concurrency: subscriptions come and go on any thread; synchronized, so the entry written last is the newest.
 */
public final class NodeStreams {
    private static final String PREFIX = "$streams/";

    private final ClusterLink link;
    private final String clientId;
    /** The filters by subscriber (several may share one filter). Guarded by this. */
    private final Map<Object, BrokerState.SubscriptionState> streams = new IdentityHashMap<>();

    public NodeStreams(ClusterLink link) {
        this.link = link;
        this.clientId = PREFIX + link.node();
    }

    /** True for the table entry of a node's streams, which no session reconciles. */
    static boolean isStreams(String clientId) {
        return clientId.startsWith(PREFIX);
    }

    /** {@code subscriber} subscribed to {@code filter}: other nodes append what matches it for this node. */
    public synchronized void add(Object subscriber, String filter, QoS maxQos) {
        streams.put(subscriber, new BrokerState.SubscriptionState(filter, maxQos, false, false, 2, 0));
        write();
    }

    /** {@code subscriber} is gone. */
    public synchronized void remove(Object subscriber) {
        if (streams.remove(subscriber) != null) {
            write();
        }
    }

    /** At start, once the table is read: an entry left by this node's previous run without streams now goes. */
    public synchronized void reconcile(ClusterInterest table) {
        if (streams.isEmpty() && link.node().equals(table.ownerOf(clientId))) {
            link.removeState(clientId);
        }
    }

    private void write() {
        if (streams.isEmpty()) {
            link.removeState(clientId);
            return;
        }
        List<BrokerState.SubscriptionState> filters = new ArrayList<>(streams.values());
        link.writeState(new SessionSummary(clientId, true, 0, 5, null, filters));
    }
}
