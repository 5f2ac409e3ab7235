package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionsSectionTest.at;
import static io.tributary.bridge.config.ConnectionsSectionTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.ClusterConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSectionTest {

    private static final String KAFKA = """
            connections:
              kafka:
                main: { bootstrap-servers: "kafka-1:9092,kafka-2:9092" }
                local: embedded
            """;

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
    }

    @Test
    void withoutTheSectionThereIsNoCluster() throws ConfigException {
        assertEquals(Optional.empty(), files.load(KAFKA).cluster());
    }

    @Test
    void everyKeyIsReadWithTheConnectionsClientProperties() throws ConfigException {
        TributaryConfig config = files.load(KAFKA + """
                cluster:
                  kafka: main
                  node: node-1
                  topic-prefix: fleet.
                  partitions: { messages: 8, sessions: 4, retained: 3 }
                  replication-factor: 2
                  message-retention: 2d
                  checkpoint-interval: 50ms
                  failure-timeout: 4s
                """);

        assertEquals(Optional.of(new ClusterConfig("main", "node-1", "fleet.", 8, 4, 3, 2, Duration.ofDays(2),
                Duration.ofMillis(50), Duration.ofSeconds(4),
                Map.of("bootstrap.servers", "kafka-1:9092,kafka-2:9092"))),
                config.cluster());
    }

    @Test
    void leftOutKeysTakeTheirDefaults() throws ConfigException {
        ClusterConfig cluster = files.load(KAFKA + "cluster: { kafka: main, node: n1 }").cluster().orElseThrow();

        assertEquals(ClusterConfig.defaults("main", "n1", Map.of("bootstrap.servers", "kafka-1:9092,kafka-2:9092")),
                cluster);
    }

    @Test
    void theNodeDefaultsToTheHostNameAndAnEnvironmentVariableSetsIt() throws ConfigException {
        assertTrue(files.load(KAFKA + "cluster: { kafka: main }").cluster().orElseThrow().node()
                .matches("[A-Za-z0-9._-]{1,100}"));

        ClusterConfig fromEnvironment = files.withEnvironment(Map.of("TRIBUTARY_CLUSTER_NODE", "node-7"))
                .load(KAFKA + "cluster: { kafka: main, node: node-1 }").cluster().orElseThrow();

        assertEquals("node-7", fromEnvironment.node());
    }

    @Test
    void anEmbeddedKafkaIsRefused() {
        ConfigError error = only(files.errors(KAFKA + "cluster: { kafka: local, node: n1 }"));

        assertEquals(5, error.line());
        assertEquals("cluster.kafka", error.path());
        assertTrue(error.message().contains("embedded Kafka"), at(error));
    }

    @Test
    void anUnknownConnectionIsRefusedWithTheNearestName() {
        ConfigError error = only(files.errors(KAFKA + "cluster: { kafka: mian, node: n1 }"));

        assertEquals("cluster.kafka", error.path());
        assertTrue(error.message().contains("unknown connection 'mian' (did you mean 'main'?)"), at(error));
    }

    @Test
    void anInvalidConnectionIsReportedAndNothingIsBuilt() {
        List<ConfigError> errors = files.errors("""
                connections:
                  kafka:
                    main: { bootstrap-servers: "no port here" }
                cluster: { kafka: main, node: n1 }
                """);

        assertEquals(2, errors.size(), errors.toString());
        assertEquals("cluster.kafka", errors.get(1).path(), errors.toString());
    }

    @Test
    void aMissingConnectionIsRefused() {
        ConfigError error = only(files.errors(KAFKA + "cluster: { node: n1 }"));

        assertEquals("cluster.kafka", error.path());
        assertTrue(error.message().startsWith("missing"), at(error));
    }

    @Test
    void aBadNodeNameIsRefused() {
        ConfigError error = only(files.errors(KAFKA + "cluster: { kafka: main, node: \"node 1/a\" }"));

        assertEquals("cluster.node", error.path());
        assertTrue(error.message().contains("at most 100 characters"), at(error));
        assertEquals(1, files.errors(KAFKA + "cluster: { kafka: main, node: " + "n".repeat(101) + " }").size());
    }

    @Test
    void aCheckpointIntervalOverTenSecondsIsRefused() {
        ConfigError error = only(files.errors(KAFKA + "cluster: { kafka: main, node: n1, checkpoint-interval: 11s }"));

        assertEquals("cluster.checkpoint-interval", error.path());
    }

    @Test
    void aBufferedRouteIsRefusedAtItsAckKey() {
        ConfigError error = only(files.errors(KAFKA + """
                cluster: { kafka: main, node: n1 }
                routes:
                  - name: telemetry
                    from: { mqtt: "t/#" }
                    to: { kafka: { connection: main, topic: telemetry } }
                    ack: buffer
                """));

        assertEquals("routes[0].ack", error.path());
        assertEquals(10, error.line());
        assertTrue(error.message().contains("with `cluster`"), at(error));
    }
}
