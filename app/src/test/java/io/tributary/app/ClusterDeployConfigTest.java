package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.ConfigException;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.broker.ClusterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The three-node example, {@code deploy/cluster/}: its configuration loads through {@code tributary run}'s loader
 * as each node would read it, and the compose file gives every node what that configuration names (Kafka
 * brokers, a unique node name, the shared password file, its own data volume, distinct host ports). The compose
 * file's own syntax is checked by {@code docker-compose config} in CI.
 */
class ClusterDeployConfigTest {

    /** Tests run in the module's folder, {@code app}. */
    private static final Path PROJECT = Path.of("..");
    private static final Path CLUSTER_CONFIG = PROJECT.resolve("deploy/cluster/tributary.yaml");
    private static final Path COMPOSE_FILE = PROJECT.resolve("deploy/cluster/docker-compose.yml");
    private static final List<String> NODES = List.of("tributary-1", "tributary-2", "tributary-3");
    private static final List<String> KAFKA_BROKERS = List.of("kafka-1", "kafka-2", "kafka-3");

    /** How one node's environment looks to the loader; the files the containers mount are the project's. */
    private static Map<String, String> nodeEnvironment(String node) throws IOException {
        Path passwords = Files.createTempFile("cluster-passwd", "");
        passwords.toFile().deleteOnExit();
        Files.writeString(passwords, "admin:$7$101$c2FsdHNhbHRzYWx0$" + "A".repeat(86) + "==\n");
        Map<String, String> environment = new HashMap<>();
        environment.put("TRIBUTARY_API_TOKEN", "test-api-token");
        environment.put("TRIBUTARY_DB_PASSWORD", "test-db-password");
        environment.put("TRIBUTARY_CLUSTER_NODE", node);
        environment.put("TRIBUTARY_BROKER_AUTH_PASSWORD_FILE", passwords.toString());
        environment.put("TRIBUTARY_BROKER_AUTH_ACL_FILE", PROJECT.resolve("deploy/acl.conf").toAbsolutePath().toString());
        return environment;
    }

    @Test
    void everyNodeLoadsTheFileAsAClusterNodeOnTheComposeKafka() throws Exception {
        ComposeFile compose = ComposeFile.read(COMPOSE_FILE);
        Set<String> nodeNames = new TreeSet<>();
        for (String service : NODES) {
            String node = String.valueOf(compose.environment(service).get("TRIBUTARY_CLUSTER_NODE"));
            TributaryConfig config = ConfigSource.load(CLUSTER_CONFIG, nodeEnvironment(node));

            ClusterConfig cluster = config.cluster().orElseThrow();
            assertEquals("main", cluster.kafkaConnection());
            assertEquals(node, cluster.node());
            nodeNames.add(node);
        }
        assertEquals(3, nodeNames.size(), "each node needs its own name: " + nodeNames);

        TributaryConfig config = ConfigSource.load(CLUSTER_CONFIG, nodeEnvironment("node-1"));
        String bootstrap = config.connections().kafka("main").orElseThrow().bootstrapServers();
        List<String> brokers = new ArrayList<>();
        for (String address : bootstrap.split(",")) {
            brokers.add(address.substring(0, address.indexOf(':')));
        }
        assertEquals(KAFKA_BROKERS, brokers);
        assertTrue(compose.services().keySet().containsAll(KAFKA_BROKERS), compose.services().keySet().toString());
        assertTrue(compose.services().containsKey("postgres"));
        assertEquals("jdbc:postgresql://postgres:5432/tributary",
                config.connections().jdbc("store").orElseThrow().url());
    }

    @Test
    void routesAreTheSingleNodeStacksOnes() throws Exception {
        TributaryConfig cluster = ConfigSource.load(CLUSTER_CONFIG, nodeEnvironment("node-1"));
        Map<String, String> single = new HashMap<>(nodeEnvironment("node-1"));
        single.remove("TRIBUTARY_BROKER_AUTH_ACL_FILE");
        single.remove("TRIBUTARY_CLUSTER_NODE");
        TributaryConfig alone = ConfigSource.load(PROJECT.resolve("deploy/tributary.yaml"), single);

        assertEquals(alone.routes().stream().map(RouteSettings::name).toList(),
                cluster.routes().stream().map(RouteSettings::name).toList());
    }

    @Test
    void validatePrintsOkForEveryNode() throws IOException {
        for (String node : List.of("node-1", "node-2", "node-3")) {
            Cli.Result result = Cli.runWithEnvironment(nodeEnvironment(node), "validate", "--config",
                    CLUSTER_CONFIG.toString());

            assertEquals(0, result.exitCode(), result.err());
        }
    }

    @Test
    void nodesShareThePasswordFileAndKeepTheirOwnDataAndPorts() throws Exception {
        ComposeFile compose = ComposeFile.read(COMPOSE_FILE);
        ComposeFile config = ComposeFile.read(CLUSTER_CONFIG);
        String passwordFile = String.valueOf(config.value("broker", "auth", "password-file"));
        String passwordFolder = passwordFile.substring(0, passwordFile.lastIndexOf('/'));
        Set<String> dataVolumes = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();

        for (String service : NODES) {
            List<String> volumes = compose.serviceList(service, "volumes");
            assertTrue(volumes.contains("./tributary.yaml:/etc/tributary/tributary.yaml:ro"), volumes.toString());
            assertTrue(volumes.contains("../acl.conf:" + config.value("broker", "auth", "acl-file") + ":ro"),
                    volumes.toString());
            assertTrue(volumes.contains("tributary-auth:" + passwordFolder), volumes.toString());
            String data = volumes.stream().filter(volume -> volume.endsWith(":" + config.value("data-directory")))
                    .findFirst().orElseThrow(() -> new AssertionError(service + " has no data volume: " + volumes));
            assertTrue(dataVolumes.add(data), "a data volume shared by two nodes: " + data);
            for (String port : compose.serviceList(service, "ports")) {
                assertTrue(hostPorts.add(port.substring(0, port.indexOf(':'))), "host port used twice: " + port);
            }
            assertEquals(3, compose.serviceList(service, "ports").size(), service);
        }
        assertEquals(passwordFile, compose.value("x-tributary-environment", "TRIBUTARY_PASSWORD_FILE"));
        String dockerfile = Files.readString(PROJECT.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("chown tributary:tributary /data " + passwordFolder),
                "the image must create " + passwordFolder + " writable by its user, or node 1 cannot write the file");
        assertTrue(compose.environment("tributary-1").containsKey("TRIBUTARY_MQTT_ADMIN_PASSWORD"),
                "node 1 writes the first user");
        for (String service : List.of("tributary-2", "tributary-3")) {
            assertTrue(!compose.environment(service).containsKey("TRIBUTARY_MQTT_ADMIN_PASSWORD"),
                    service + " would write the shared password file at the same time as node 1");
        }
    }

    @Test
    void kafkaIsAThreeControllerQuorumWithThreeReplicas() throws IOException {
        ComposeFile compose = ComposeFile.read(COMPOSE_FILE);
        String voters = String.valueOf(compose.value("x-kafka-environment", "KAFKA_CONTROLLER_QUORUM_VOTERS"));
        for (int i = 0; i < KAFKA_BROKERS.size(); i++) {
            String broker = KAFKA_BROKERS.get(i);
            Map<?, ?> environment = compose.environment(broker);
            assertEquals(i + 1, environment.get("KAFKA_NODE_ID"), broker);
            assertEquals("PLAINTEXT://" + broker + ":9092", environment.get("KAFKA_ADVERTISED_LISTENERS"));
            assertTrue(voters.contains((i + 1) + "@" + broker + ":9093"), voters);
        }
        assertEquals(3, compose.value("x-kafka-environment", "KAFKA_DEFAULT_REPLICATION_FACTOR"));
        assertEquals(2, compose.value("x-kafka-environment", "KAFKA_MIN_INSYNC_REPLICAS"));
    }
}
