package io.tributary.connectors.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * Formats a KRaft data directory the way {@code kafka-storage.sh format} does, once: a directory that already
 * holds a {@code meta.properties} keeps its cluster id and data.
 */
final class KraftStorage {
    private KraftStorage() {
    }

    static void formatIfNew(KafkaConfig config, Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Cannot create Kafka's data directory " + dataDirectory, e);
        }
        if (Files.exists(dataDirectory.resolve("meta.properties"))) {
            return;
        }
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8))
                .setNodeId(config.nodeId())
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName(config.controllerListenerNames().get(0))
                .setMetadataLogDirectory(config.metadataLogDir())
                .setHasDynamicQuorum(false)
                .setIgnoreFormatted(true);
        config.logDirs().forEach(formatter::addDirectory);
        try {
            formatter.run();
        } catch (Exception e) {
            throw new EmbeddedKafkaException("Cannot format Kafka's data directory " + dataDirectory + ": "
                    + e.getMessage(), e);
        }
    }
}
