package io.tributary.broker.cluster;

import io.tributary.broker.ClusterObserver;
import io.tributary.broker.ClusterReaderStats;
import io.tributary.broker.ClusterView;
import io.tributary.broker.Message;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.delivery.RetainedJournal;
import io.tributary.broker.session.SessionSummary;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * What the broker asks of the cluster it is a node of: a shared message log that every node reads, and a table of
 * every node's sessions and their subscriptions. The broker knows no Kafka type; the {@code cluster} module
 * implements this.
 *
 * <p>A message goes through the log only for the nodes that want it ({@link ClusterInterest}): devices' publishes
 * for the nodes with a matching session other than their own, in-process publishes (Kafka → device routes, the
 * HTTP API) for every node with one, this one included. Every node's sessions are told to the table
 * ({@link #writeState}, {@link #removeState}), which every node follows ({@link #followSessions}). Every retained
 * change goes to the cluster's {@link #retainedJournal}, and each node's retained store follows it
 * ({@link #followRetained}).
 *
 * <p>Concurrency: {@link #append}, {@link #writeState} and {@link #removeState} are called on any thread at once
 * (calls about one client in the order of its changes); the others once each, in the order the broker starts and
 * stops.
 */
public interface ClusterLink {

    /** This node's name in the cluster. */
    String node();

    /**
     * Appends {@code message} to the log for {@code nodes} (never empty): only they hand it to their sessions.
     *
     * @param key the record's key, which keeps one publisher's messages in one partition and their order: the
     *     publisher's client id, or the topic for an in-process publish
     * @param shares the shared groups' members chosen for it (design §4.7), in its {@code tributary.share} header:
     *     a node offers a shared group's message only to the member chosen on it
     * @return completes once the record is durable in the log (exceptionally if it could not be written)
     */
    CompletionStage<Void> append(Message message, String key, Set<String> nodes, List<ShareChoice> shares);

    /**
     * Fills {@code table} with the sessions the cluster holds, written up to now, and returns once it holds them;
     * from then on it applies every change any node writes. Called once when the broker starts, after its own
     * sessions are restored and before its listeners open.
     *
     * @throws IllegalStateException if the sessions cannot be read
     */
    void followSessions(ClusterInterest table);

    /**
     * Writes what other nodes need to know of one of this node's sessions.
     *
     * @return completes once it is durable and every live node applied it (the SUBACK barrier, design §4.2);
     *     exceptionally if not within the cluster's time limit
     */
    CompletionStage<Void> writeState(SessionSummary session);

    /** The session of {@code clientId} ended on this node: it leaves the table of every node. */
    void removeState(String clientId);

    /**
     * From now on, hands every record read from the log to {@code delivery}. Called once the broker restored its
     * sessions, before its listeners open: records read earlier wait for it.
     */
    void deliverTo(LogDelivery delivery);

    /**
     * Stops handing records to the broker, and returns once none is being handed. Called when the broker stops,
     * before it saves its sessions: what was not handed is read again after a restart.
     */
    void stopDelivering();

    /**
     * Where this node writes every retained change (a retained publish, or a clear) so that every node applies it;
     * each change completes once durable in the cluster, and the publisher's acknowledgement waits for it. Topics
     * starting with {@code $} stay on this node.
     */
    RetainedJournal retainedJournal();

    /**
     * Fills {@code store} with the cluster's retained messages, written up to now, and returns once it holds them;
     * from then on it applies every change any node writes, its own included, in the cluster's order. Called once
     * when the broker starts, before its listeners open.
     *
     * @throws IllegalStateException if the cluster's retained messages cannot be read
     */
    void followRetained(RetainedStore store);

    /** {@code up: node NAME} once this node reads the log, {@code down: why} otherwise: a readiness check. */
    String state();

    /** Makes {@code observer} the one told of appends and deliveries, for metrics; replaces any earlier one. */
    default void observe(ClusterObserver observer) {
    }

    /** The log reader now, for metrics; empty when this link keeps no such figures. */
    default Optional<ClusterReaderStats> readerStats() {
        return Optional.empty();
    }

    /** The cluster's nodes and session table as this node sees them now; empty when this link keeps no view. */
    default Optional<ClusterView> view() {
        return Optional.empty();
    }
}
