package io.tributary.broker;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The in-process face of a broker: what routes use to publish into it and subscribe to it. It lives in
 * {@code broker-api}, which has no dependency, so that code built on it (the Camel component) needs no
 * Netty.
 */
public interface InProcessBroker {

    /**
     * Publishes a message; completes when every matching subscriber took it (and those holding
     * acknowledgements completed). Fails for an invalid topic.
     */
    CompletableFuture<Void> publish(Message message);

    /**
     * Subscribes {@code handler} to {@code filter} ({@code $share/group/filter} works too).
     *
     * @throws IllegalArgumentException if the filter is not valid
     */
    InProcessSubscription subscribe(String filter, SubscribeOptions options, MessageHandler handler);

    /**
     * The retained messages whose topics match {@code filter}, expired ones left out.
     *
     * @throws IllegalArgumentException if the filter is not valid
     */
    java.util.List<Message> retained(String filter);

    /**
     * The broker's counters now, by name ({@code connections}, {@code messagesReceived}, ... as the broker's
     * {@code BrokerStats} has them, plus {@code messagesReceivedQos0} to {@code messagesSentQos2} for the
     * messages by QoS), for metrics. Empty when the broker keeps none.
     */
    default java.util.Map<String, Number> statsSnapshot() {
        return java.util.Map.of();
    }

    /**
     * What the broker's access rules let the user {@code user} (such as an HTTP API token's user) do, for a
     * caller that acts on its behalf; {@link Permissions#ALLOW_ALL} when the broker has no rules.
     */
    default Permissions accessOf(String user) {
        return Permissions.ALLOW_ALL;
    }

    /** True while every network listener of the broker is bound (always, for a broker without any). */
    default boolean listenersBound() {
        return true;
    }

    /**
     * The clients connected now whose ids sort after {@code after} (all when null), sorted by client id, at most
     * {@code limit} of them, with the number connected in all. {@link ConnectedClients#NONE} for a broker that
     * does not list its clients.
     */
    default ConnectedClients connectedClients(String after, int limit) {
        return ConnectedClients.NONE;
    }

    /**
     * Closes the connection of the client {@code clientId} at an operator's request (an MQTT 5 client is told
     * "administrative action"); its session stays as its expiry says, and its will is published as for any
     * connection the server closed.
     *
     * @return false when no client of that id is connected (or the broker cannot disconnect clients)
     */
    default boolean disconnectClient(String clientId) {
        return false;
    }

    /**
     * This node's part in a cluster of Tributary nodes, as a readiness check says it: {@code up: node NAME} once
     * it reads the cluster's log, {@code down: why} otherwise; empty for a broker that is not in a cluster.
     */
    default Optional<String> clusterState() {
        return Optional.empty();
    }

    /**
     * Makes {@code observer} the one told of this node's appends to the cluster and deliveries from its log
     * (replacing any earlier one); false, and nothing observed, for a broker that is not in a cluster.
     */
    default boolean observeCluster(ClusterObserver observer) {
        return false;
    }

    /** This node's cluster log reader now, for metrics; empty for a broker that is not in a cluster. */
    default Optional<ClusterReaderStats> clusterReaderStats() {
        return Optional.empty();
    }

    /** The cluster's nodes and its session table's clients as this node sees them; empty without a cluster. */
    default Optional<ClusterView> clusterView() {
        return Optional.empty();
    }
}
