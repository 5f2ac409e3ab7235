package io.tributary.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClusterScenarioTest {

    @Test
    void remoteSpreadsTheSubscribersRoundRobinOverTheNodes() {
        assertEquals(List.of(0, 1, 2, 0, 1, 2), IntStream.range(0, 6)
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
}
