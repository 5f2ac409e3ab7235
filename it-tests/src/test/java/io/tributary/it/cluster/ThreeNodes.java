package io.tributary.it.cluster;

import io.tributary.it.crash.TributaryChild;
import io.tributary.testsupport.kafka.KafkaServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts the three {@code tributary run} processes of a cluster test, {@code node-1} to {@code node-3}, on one
 * Kafka: each in its own folder, with a TCP listener on a free loopback port and, when a token is given, the HTTP
 * API on another; every other key as the test gives it.
 *
 * <p>Concurrency: one test thread.
 */
final class ThreeNodes {

    private ThreeNodes() {
    }

    /**
     * @param brokerKeys lines added under {@code broker:}, each ending in a newline, indented as under it
     *                   (e.g. {@code "  max-queued-messages: 20000\n"}), or empty
     * @param clusterKeys lines added under {@code cluster:}, the same way, or empty
     * @param apiToken the HTTP API's bearer token, or null for no HTTP API
     * @param nodes where the started nodes go, node 1 first
     * @param httpPorts where each node's HTTP API port goes, by node number (untouched without a token)
     */
    static void start(Path folder, KafkaServer kafka, String brokerKeys, String clusterKeys, String apiToken,
                      List<TributaryChild> nodes, Map<Integer, Integer> httpPorts) throws IOException {
        DistinctPorts ports = new DistinctPorts();
        Path token = folder.resolve("api-token");
        if (apiToken != null) {
            Files.writeString(token, apiToken + "\n");
        }
        for (int n = 1; n <= 3; n++) {
            int port = ports.next();
            StringBuilder yaml = new StringBuilder()
                    .append("broker:\n")
                    .append("  listeners: [ { name: mqtt, type: tcp, host: 127.0.0.1, port: ").append(port)
                    .append(" } ]\n")
                    .append(brokerKeys)
                    .append("connections:\n")
                    .append("  kafka:\n")
                    .append("    main:\n")
                    .append("      bootstrap-servers: \"").append(kafka.bootstrapServers()).append("\"\n")
                    .append("cluster:\n")
                    .append("  kafka: main\n")
                    .append("  node: node-").append(n).append('\n')
                    .append(clusterKeys);
            if (apiToken != null) {
                int httpPort = ports.next();
                httpPorts.put(n, httpPort);
                yaml.append("http-api: { host: 127.0.0.1, port: ").append(httpPort)
                        .append(", tokens: [ { file: \"").append(token).append("\" } ] }\n");
            }
            nodes.add(new TributaryChild(folder.resolve("node-" + n), port, yaml.toString()).start());
        }
    }
}
