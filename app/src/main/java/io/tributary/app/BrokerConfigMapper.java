package io.tributary.app;

import io.tributary.bridge.config.BrokerSettings;
import io.tributary.bridge.config.ListenerSettings;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import java.nio.file.Path;

/**
 * Turns the validated {@code broker} section of the configuration into the broker's own {@link BrokerConfig};
 * it lives here so that neither bridge-core nor the broker depends on the other.
 */
public final class BrokerConfigMapper {

    private BrokerConfigMapper() {
    }

    /** The folder under the data directory where the broker keeps its sessions and retained messages. */
    static final String STATE_FOLDER = "broker";

    /** The broker configuration with the listeners and limits of {@code settings}, keeping no state. */
    public static BrokerConfig toBrokerConfig(BrokerSettings settings) {
        return builder(settings).build();
    }

    /**
     * The broker configuration with the listeners and limits of {@code settings}; with {@code persistence} on,
     * sessions and retained messages are kept in {@code dataDirectory/broker} across a graceful restart.
     */
    public static BrokerConfig toBrokerConfig(BrokerSettings settings, Path dataDirectory) {
        BrokerConfig.Builder builder = builder(settings);
        if (settings.persistence()) {
            builder.persistenceDirectory(dataDirectory.resolve(STATE_FOLDER));
        }
        return builder.build();
    }

    private static BrokerConfig.Builder builder(BrokerSettings settings) {
        BrokerConfig.Builder builder = BrokerConfig.builder()
                .maxPacketSize(settings.maxPacketSize())
                .maxConnections(settings.maxConnections())
                .maxInFlight(settings.maxInflight())
                .maxQueuedMessages(settings.maxQueuedMessages())
                .queueFullPolicy(settings.queueFullPolicy())
                .maxKeepAliveSeconds(settings.maxKeepAlive())
                .maxSessionExpirySeconds(settings.maxSessionExpiry())
                .topicAliasMaximum(settings.topicAliasMaximum())
                .connectTimeoutSeconds(settings.connectTimeout())
                .sysInterval(settings.sysInterval());
        settings.listeners().forEach(listener -> builder.listener(toListenerConfig(listener)));
        return builder;
    }

    /** The broker's listener for one configured listener. */
    public static ListenerConfig toListenerConfig(ListenerSettings listener) {
        ListenerConfig.Tls tls = listener.tls()
                .map(files -> new ListenerConfig.Tls(files.cert(), files.key()))
                .orElse(null);
        return new ListenerConfig(listener.name(), listener.type(), listener.host(), listener.port(),
                listener.path(), tls, listener.allowAnonymous());
    }
}
