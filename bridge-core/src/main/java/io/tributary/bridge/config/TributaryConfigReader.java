package io.tributary.bridge.config;

import java.nio.file.Path;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads the top level of a configuration file and hands each section to its reader. Connections and routes
 * will be read here beside the broker.
 */
final class TributaryConfigReader {

    private final YamlNodeReader reader;
    private final BrokerSettingsReader brokerReader;

    TributaryConfigReader(YamlNodeReader reader, EnvOverrides overrides, Path baseDirectory) {
        this.reader = reader;
        this.brokerReader = new BrokerSettingsReader(reader, overrides, baseDirectory);
    }

    /**
     * The configuration of {@code root} ({@code null} for an empty file); empty when anything is invalid,
     * each problem reported.
     */
    Optional<TributaryConfig> read(Node root, SourceLocation fileStart) {
        Optional<YamlMapping> top = reader.mapping(root, "", ConfigSchema.ROOT, fileStart);
        // A top level that is no mapping is reported; the broker is still read from defaults and the
        // environment, so that their errors come out in the same run.
        Node brokerNode = top.flatMap(m -> m.value(ConfigSchema.BROKER)).orElse(null);
        SourceLocation brokerAbsent = top.map(YamlMapping::location).orElse(fileStart);
        Optional<BrokerSettings> broker = brokerReader.read(brokerNode, brokerAbsent);
        return top.isPresent() ? broker.map(TributaryConfig::new) : Optional.empty();
    }
}
