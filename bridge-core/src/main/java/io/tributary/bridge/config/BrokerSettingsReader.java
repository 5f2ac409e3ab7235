package io.tributary.bridge.config;

import static io.tributary.bridge.config.BrokerKeys.BROKER;

import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code broker} section: its listeners; every other key is read by its declaration. */
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
        return reader.section(node, ConfigSchema.BROKER.name(), BROKER, whereAbsent, broker -> {
            Optional<List<ListenerSettings>> listeners = listenerReader.read(broker.mapping());
            return () -> new BrokerSettings(listeners.orElseThrow(), broker.get(BrokerKeys.MAX_PACKET_SIZE),
                    broker.get(BrokerKeys.MAX_CONNECTIONS), broker.get(BrokerKeys.MAX_INFLIGHT),
                    broker.get(BrokerKeys.MAX_QUEUED_MESSAGES), broker.get(BrokerKeys.QUEUE_FULL_POLICY),
                    broker.get(BrokerKeys.MAX_KEEP_ALIVE), broker.get(BrokerKeys.MAX_SESSION_EXPIRY),
                    broker.get(BrokerKeys.TOPIC_ALIAS_MAXIMUM), broker.get(BrokerKeys.CONNECT_TIMEOUT),
                    broker.get(BrokerKeys.SYS_INTERVAL), broker.get(BrokerKeys.PERSISTENCE));
        });
    }
}
