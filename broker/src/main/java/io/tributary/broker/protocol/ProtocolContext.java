package io.tributary.broker.protocol;

import io.netty.channel.group.ChannelGroup;
import io.tributary.broker.Authorizer;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.admission.ConnectionGate;
import io.tributary.broker.auth.ConnectAuthentication;
import io.tributary.broker.delivery.PublishService;
import io.tributary.broker.session.SessionRegistry;
import io.tributary.broker.stats.BrokerCounters;
import io.tributary.broker.subscription.SubscriptionTree;

/** What every connection of one broker shares: configuration, state and the pluggable policies. */
public record ProtocolContext(
        BrokerConfig config,
        SessionRegistry sessions,
        SubscriptionTree subscriptions,
        RetainedStore retained,
        PublishService publishing,
        BrokerCounters counters,
        ConnectAuthentication authentication,
        Authorizer authorizer,
        ChannelGroup channels,
        ConnectionGate gate) {
}
