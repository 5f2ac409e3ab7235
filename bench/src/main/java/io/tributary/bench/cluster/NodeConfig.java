package io.tributary.bench.cluster;

import io.tributary.bench.server.TributaryApp;
import java.nio.file.Path;

/**
 * The configuration file of one node: one MQTT listener, the HTTP API (for {@code /health/ready}) on its own port,
 * and, for a clustered system, the Kafka connection and the {@code cluster:} section with the run's topic prefix.
 * The node's name is not in the file: {@code TRIBUTARY_CLUSTER_NODE} gives it, as users run a cluster. Immutable.
 *
 * @param topicPrefix the cluster's topic prefix, or null for a node without {@code cluster:}
 */
record NodeConfig(String bootstrapServers, String topicPrefix, Path tokenFile) {

    /** The whole file for a node with its MQTT listener on {@code mqttPort} and its HTTP API on {@code httpPort}. */
    String yaml(int mqttPort, int httpPort) {
        String file = "# Written by the Tributary benchmark (BenchMain cluster) for one run.\n"
                + TributaryApp.brokerSection(mqttPort)
                + "http-api: { host: 127.0.0.1, port: %d, tokens: [ { file: \"%s\" } ] }\n".formatted(httpPort,
                        tokenFile);
        if (topicPrefix == null) {
            return file;
        }
        return file + """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                cluster:
                  kafka: main
                  topic-prefix: "%s"
                """.formatted(bootstrapServers, topicPrefix);
    }

    /** The settings in one line, for the report. */
    static String describe() {
        return "`tributary run --config` from the application jar, JVM flags `bin/tributary`'s defaults; one TCP "
                + "listener and the HTTP API on free ports of 127.0.0.1, broker defaults otherwise; a clustered system "
                + "adds `connections.kafka.main` and `cluster: { kafka: main, topic-prefix: <fresh per system> }` "
                + "(cluster defaults otherwise: 24 partitions for the messages topic, replication factor 1 on one "
                + "Kafka broker) and names each node `node-N` through `TRIBUTARY_CLUSTER_NODE`";
    }
}
