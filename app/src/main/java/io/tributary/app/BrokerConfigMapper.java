package io.tributary.app;

import io.tributary.bridge.config.BrokerSettings;
import io.tributary.bridge.config.ListenerSettings;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.QueueFullPolicy;

/**
 * Turns the validated {@code broker} section of the configuration into the broker's own {@link BrokerConfig};
 * it lives here so that neither bridge-core nor the broker depends on the other.
 */
public final class BrokerConfigMapper {

    private BrokerConfigMapper() {
    }

    /** The broker configuration with the listeners and limits of {@code settings}. */
    public static BrokerConfig toBrokerConfig(BrokerSettings settings) {
        BrokerConfig.Builder builder = BrokerConfig.builder()
                .maxPacketSize(settings.maxPacketSize())
                .maxConnections(settings.maxConnections())
                .maxInFlight(settings.maxInflight())
                .maxQueuedMessages(settings.maxQueuedMessages())
                .queueFullPolicy(queueFullPolicy(settings.queueFullPolicy()))
                .maxKeepAliveSeconds(settings.maxKeepAlive())
                .maxSessionExpirySeconds(settings.maxSessionExpiry())
                .topicAliasMaximum(settings.topicAliasMaximum())
                .connectTimeoutSeconds(settings.connectTimeout())
                .sysInterval(settings.sysInterval());
        settings.listeners().forEach(listener -> builder.listener(toListenerConfig(listener)));
        return builder.build();
    }

    /** The broker's listener for one configured listener. */
    public static ListenerConfig toListenerConfig(ListenerSettings listener) {
        ListenerConfig.Tls tls = listener.tls()
                .map(files -> new ListenerConfig.Tls(files.cert(), files.key()))
                .orElse(null);
        return new ListenerConfig(listener.name(), transport(listener), listener.host(), listener.port(),
                listener.path(), tls, listener.allowAnonymous());
    }

    private static ListenerConfig.Transport transport(ListenerSettings listener) {
        return switch (listener.type()) {
            case TCP -> ListenerConfig.Transport.TCP;
            case WEBSOCKET -> ListenerConfig.Transport.WEBSOCKET;
        };
    }

    private static QueueFullPolicy queueFullPolicy(io.tributary.bridge.config.QueueFullPolicy policy) {
        return switch (policy) {
            case DROP_NEW -> QueueFullPolicy.DROP_NEW;
            case DROP_OLDEST -> QueueFullPolicy.DROP_OLDEST;
        };
    }
}
