package io.tributary.broker.session;

import io.tributary.broker.BrokerState;
import java.util.List;

/**
 * What other nodes of a cluster need to know of one session: whether it is connected, whether it outlives its
 * connection, and its subscriptions. A snapshot, taken when the session changed.
 *
 * @param expirySeconds 0 for a clean session, which ends with its connection
 * @param username null when not known
 */
public record SessionSummary(String clientId, boolean connected, long expirySeconds, int protocolVersion,
                             String username, List<BrokerState.SubscriptionState> subscriptions) {

    /** True if the session outlives its connection, so messages are kept for it while it is offline. */
    public boolean persistent() {
        return expirySeconds > 0;
    }
}
