package io.tributary.broker;

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
     * caller that acts on its behalf; {@link UserAccess#ALL} when the broker has no rules.
     */
    default UserAccess accessOf(String user) {
        return UserAccess.ALL;
    }

    /** What one user may do under the broker's access rules; see {@code Authorizer}. */
    interface UserAccess {
        /** May do everything: a broker without access rules. */
        UserAccess ALL = new UserAccess() {
            @Override
            public boolean mayPublish(String topic) {
                return true;
            }

            @Override
            public boolean maySubscribe(String filter) {
                return true;
            }

            @Override
            public boolean mayRead(String topic) {
                return true;
            }

            @Override
            public boolean mayReadAll(String filter) {
                return true;
            }
        };

        boolean mayPublish(String topic);

        /** True if {@code filter} can match a topic the user may read. */
        boolean maySubscribe(String filter);

        boolean mayRead(String topic);

        /** True if the user may read every topic {@code filter} matches (no check per message needed). */
        boolean mayReadAll(String filter);
    }

    /** True while every network listener of the broker is bound (always, for a broker without any). */
    default boolean listenersBound() {
        return true;
    }
}
