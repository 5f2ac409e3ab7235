package io.tributary.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClusterScenarioTest {

    @Test
    void remoteSpreadsTheSubscribersRoundRobinOverTheNodes() {
        assertEquals(java.util.List.of(0, 1, 2, 0, 1, 2), IntStream.range(0, 6)
                .map(j -> ClusterScenario.REMOTE_QOS1.nodeOf(j, 3)).boxed().toList());
    }

    @Test
    void localPutsEverySubscriberOnNodeOne() {
        assertTrue(IntStream.range(0, 30).allMatch(j -> ClusterScenario.LOCAL_QOS1.nodeOf(j, 3) == 0));
    }

    @Test
    void remoteRunsOnlyWhereThereIsAnotherNode() {
        assertFalse(ClusterScenario.REMOTE_QOS0.runsOn(1));
        assertTrue(ClusterScenario.REMOTE_QOS0.runsOn(3));
        assertTrue(ClusterScenario.LOCAL_QOS0.runsOn(1));
    }

    @Test
    void nodeConfigHasAClusterSectionOnlyForAClusteredSystem() {
        java.nio.file.Path token = java.nio.file.Path.of("/tmp/token");
        String single = new NodeConfig("127.0.0.1:9092", null, token).yaml(1883, 8080);
        String clustered = new NodeConfig("127.0.0.1:9092", "bench-x.", token).yaml(1883, 8080);
        assertFalse(single.contains("cluster:"), single);
        assertTrue(clustered.contains("topic-prefix: \"bench-x.\""), clustered);
        assertTrue(clustered.contains("bootstrap-servers: \"127.0.0.1:9092\""), clustered);
        assertTrue(single.contains("port: 8080"), single);
    }
}
