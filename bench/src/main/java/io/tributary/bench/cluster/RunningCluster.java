package io.tributary.bench.cluster;

import io.tributary.bench.server.RunningBroker;
import io.tributary.bench.server.TributaryApp;
import io.tributary.testsupport.net.FreePort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The started nodes of one system: started one after the other (each on free loopback ports, bound before the next
 * picks its own), each waited for until its {@code /health/ready} answers 200, and stopped by their PIDs, the last
 * started first. Used by the driver's main thread; {@link #close()} may also run on the shutdown hook.
 */
public final class RunningCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final List<ClusterNode> nodes;

    private RunningCluster(List<ClusterNode> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Starts {@code system}'s nodes from {@code appJar} with {@code jvmFlags}.
     *
     * @param topicPrefix the cluster's fresh topic prefix (unused for a system without {@code cluster:})
     * @param workDir a fresh folder: each node's configuration and log go to {@code node-N/}
     * @param pidDir where each node keeps its PID file while it runs
     */
    public static RunningCluster start(ClusterSystem system, Path appJar, List<String> jvmFlags,
                                       String bootstrapServers, String topicPrefix, Path workDir, Path pidDir)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        // Absolute: the node resolves a relative path against its configuration file's folder.
        Path token = workDir.resolve("api-token").toAbsolutePath();
        Files.writeString(token, UUID.randomUUID() + "\n");
        NodeConfig config = new NodeConfig(bootstrapServers, system.clustered() ? topicPrefix : null, token);
        List<ClusterNode> started = new ArrayList<>();
        try {
            for (int n = 1; n <= system.nodes(); n++) {
                String name = "node-" + n;
                // The MQTT port is the launcher's; the HTTP API's is picked beside it, when the file is written.
                AtomicInteger httpPort = new AtomicInteger();
                TributaryApp launcher = new TributaryApp(appJar, name, name, NodeConfig.describe(), mqttPort -> {
                    httpPort.set(FreePort.onLoopbackExcept(mqttPort));
                    return config.yaml(mqttPort, httpPort.get());
                }, jvmFlags);
                RunningBroker process = RunningBroker.start(launcher, workDir.resolve(name),
                        pidDir.resolve("cluster-" + name + ".pid"), READY_TIMEOUT,
                        system.clustered() ? Map.of("TRIBUTARY_CLUSTER_NODE", name) : Map.of());
                ClusterNode node = new ClusterNode(name, process, httpPort.get());
                started.add(node);
                node.awaitReady(READY_TIMEOUT);
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            new RunningCluster(started).close();
            throw e;
        }
        return new RunningCluster(started);
    }

    /** How every node runs, in one line, for the report. */
    public static String describeNodes() {
        return NodeConfig.describe();
    }

    /** In start order: node 1 first. */
    public List<ClusterNode> nodes() {
        return nodes;
    }

    public boolean isAlive() {
        return nodes.stream().allMatch(ClusterNode::isAlive);
    }

    /** A note per node that died, or an empty list. */
    public List<String> deaths() {
        return nodes.stream().filter(node -> !node.isAlive()).map(node -> node.process().exitNote(node.name()))
                .toList();
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }
}
