package io.tributary.bridge.config;

import static io.tributary.bridge.config.BrokerKeys.BROKER;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code broker} section. */
final class BrokerSettingsReader {

    private final YamlNodeReader reader;
    private final ListenerSettingsReader listenerReader;

    BrokerSettingsReader(YamlNodeReader reader, FileValues files) {
        this.reader = reader;
        this.listenerReader = new ListenerSettingsReader(reader, files);
    }

    /**
     * The broker settings of {@code node} ({@code null} when the file has no {@code broker} key); empty when
     * anything is invalid, each problem reported.
     */
    Optional<BrokerSettings> read(Node node, SourceLocation whereAbsent) {
        int errorsBefore = reader.errors().count();
        Optional<YamlMapping> found = reader.mapping(node, ConfigSchema.BROKER.name(), BROKER, whereAbsent);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping broker = found.get();
        Optional<List<ListenerSettings>> listeners = listenerReader.read(broker);
        // Every value is read before any is used, so that all errors are reported; a default stands in for an
        // invalid one, and the result is dropped below.
        int maxPacketSize = value(broker, BrokerKeys.MAX_PACKET_SIZE);
        int maxConnections = value(broker, BrokerKeys.MAX_CONNECTIONS);
        int maxInflight = value(broker, BrokerKeys.MAX_INFLIGHT);
        int maxQueuedMessages = value(broker, BrokerKeys.MAX_QUEUED_MESSAGES);
        QueueFullPolicy queueFullPolicy = value(broker, BrokerKeys.QUEUE_FULL_POLICY);
        int maxKeepAlive = value(broker, BrokerKeys.MAX_KEEP_ALIVE);
        long maxSessionExpiry = value(broker, BrokerKeys.MAX_SESSION_EXPIRY);
        int topicAliasMaximum = value(broker, BrokerKeys.TOPIC_ALIAS_MAXIMUM);
        int connectTimeout = value(broker, BrokerKeys.CONNECT_TIMEOUT);
        Duration sysInterval = value(broker, BrokerKeys.SYS_INTERVAL);
        boolean persistence = value(broker, BrokerKeys.PERSISTENCE);
        if (reader.errors().count() > errorsBefore || listeners.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BrokerSettings(listeners.get(), maxPacketSize, maxConnections, maxInflight,
                maxQueuedMessages, queueFullPolicy, maxKeepAlive, maxSessionExpiry, topicAliasMaximum,
                connectTimeout, sysInterval, persistence));
    }

    /** The file's value, else the default. */
    private <T> T value(YamlMapping broker, ConfigKey<T> key) {
        return reader.read(broker, key).orElse(key.defaultValue());
    }
}
