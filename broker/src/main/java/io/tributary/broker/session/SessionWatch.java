package io.tributary.broker.session;

import java.util.concurrent.CompletionStage;

/**
 * Told when a session's subscriptions or connection change and when it ends: in a cluster, every node keeps a
 * table of all sessions' subscriptions so that a publisher's node knows which nodes want a message. Without a
 * cluster there is none, and the registry calls nothing.
 *
 * <p>Concurrency: called on the registry's and the connections' threads; calls about one client come in the
 * order of the changes.
 */
public interface SessionWatch {

    /**
     * The session changed: its subscriptions (SUBSCRIBE, UNSUBSCRIBE, restored), or it connected or went offline.
     *
     * @return completes once every live node knows the change (a SUBACK waits for it); exceptionally if it could
     *     not be made known in time
     */
    CompletionStage<Void> changed(SessionSummary session);

    /** The session of {@code clientId} ended. */
    void ended(String clientId);
}
