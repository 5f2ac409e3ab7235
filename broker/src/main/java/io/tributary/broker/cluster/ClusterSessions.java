package io.tributary.broker.cluster;

import io.tributary.broker.session.Session;
import io.tributary.broker.session.SessionSummary;
import io.tributary.broker.session.SessionWatch;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * This node's side of the cluster's session table: writes a session's {@code STATE} when its subscriptions or
 * connection change and a tombstone when it ends, and at start reconciles the table with the sessions this node
 * really has (after a {@code kill -9}, its clean sessions died with it, and their entries must not live forever).
 *
 * <p>A session that never had a subscription is never written, so a client that only publishes costs the
 * cluster nothing.
 *
 * <p>Concurrency: called on the registry's and the connections' threads; its methods are synchronized, so the
 * writes about one client reach the link in the order of the changes (one producer keeps that order per client).
 */
public final class ClusterSessions implements SessionWatch {
    private final ClusterLink link;
    /** The clients with a {@code STATE} in the table, written by this node. Guarded by this. */
    private final Set<String> written = new HashSet<>();

    public ClusterSessions(ClusterLink link) {
        this.link = link;
    }

    @Override
    public synchronized CompletionStage<Void> changed(SessionSummary session) {
        if (session.subscriptions().isEmpty() && !written.contains(session.clientId())) {
            return CompletableFuture.completedFuture(null); // nothing anyone needs to know
        }
        written.add(session.clientId());
        return link.writeState(session);
    }

    @Override
    public synchronized void ended(String clientId) {
        if (written.remove(clientId)) {
            link.removeState(clientId);
        }
    }

    /**
     * Makes the table say what this node has, once it read the table: a {@code STATE} for each of its sessions
     * with subscriptions (restored from its store: offline), and a tombstone for each entry it owns without
     * such a session. Called once at start, before the listeners open.
     */
    public synchronized void reconcile(ClusterInterest table, Collection<Session> sessions) {
        Set<String> stale = table.clientsOf(link.node());
        for (Session session : sessions) {
            SessionSummary summary = session.summary();
            if (!summary.subscriptions().isEmpty()) {
                stale.remove(summary.clientId());
                written.add(summary.clientId());
                link.writeState(summary);
            }
        }
        for (String clientId : stale) {
            if (!NodeStreams.isStreams(clientId)) {
                link.removeState(clientId);
            }
        }
    }
}
