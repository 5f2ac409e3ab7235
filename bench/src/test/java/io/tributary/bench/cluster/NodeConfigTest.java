package io.tributary.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

    @Test
    void aClusterSectionWithTheRunsPrefixOnlyForAClusteredSystem() {
        Path token = Path.of("api-token");
        String single = new NodeConfig("127.0.0.1:9092", null, token).yaml(1883, 8080);
        String clustered = new NodeConfig("127.0.0.1:9092", "bench-x.", token).yaml(1883, 8080);
        assertFalse(single.contains("cluster:"), single);
        assertTrue(clustered.contains("topic-prefix: \"bench-x.\""), clustered);
        assertTrue(clustered.contains("bootstrap-servers: \"127.0.0.1:9092\""), clustered);
        assertTrue(single.contains("port: 8080"), single);
    }
}
