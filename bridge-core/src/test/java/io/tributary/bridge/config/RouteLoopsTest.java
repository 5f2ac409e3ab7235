package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionsSectionTest.at;
import static io.tributary.bridge.config.ConnectionsSectionTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes that would send messages round in a circle through one broker are refused at load, naming the routes and
 * what joins them; chains and routes whose written topics the sources cannot match are not.
 */
class RouteLoopsTest {

    private static final String CONNECTIONS = """
            connections:
              mqtt:
                plant: { url: "tcp://plant:1883" }
                cloud: { url: "tcp://cloud:1883", version: 3.1.1 }
              kafka:
                main: { bootstrap-servers: "kafka:9092" }
            """;

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
    }

    @Test
    void aRouteOnTheBuiltInBrokerThatReadsWhatItWritesIsRefused() {
        assertEquals("3:11: routes[0].from: route 'echo' reads what it writes, so messages would go round for ever: "
                + "'echo' writes 'a/x' to the built-in broker, which 'echo' reads as 'a/#'. Give the forwarded copies a "
                + "topic prefix that the source does not match", at(only(files.errors("""
                routes:
                  - name: echo
                    from: { mqtt: "a/#" }
                    to: { mqtt: { topic: "a/x" } }
                """))));
    }

    @Test
    void aRouteOnOneConnectionThatReadsWhatItWritesIsRefused() {
        String error = at(only(files.errors(CONNECTIONS + """
                routes:
                  - name: mirror
                    from: { mqtt: { connection: plant, topic: "sites/{site}/{kind}" } }
                    to: { mqtt: { connection: plant, topic: "sites/{site}/copy" } }
                """)));

        assertTrue(error.startsWith("9:11: routes[0].from: route 'mirror' reads what it writes"), error);
        assertTrue(error.contains("'mirror' writes 'sites/{site}/copy' to MQTT connection 'plant', which 'mirror' "
                + "reads as 'sites/{site}/{kind}'"), error);
    }

    @Test
    void twoRoutesThatFeedEachOtherAcrossTwoBrokersAreOneErrorNamingBoth() {
        String error = at(only(files.errors(CONNECTIONS + """
                routes:
                  - name: up
                    from: { mqtt: "alarms/{x}" }
                    to: { mqtt: { connection: cloud, topic: "edge/{x}" } }
                  - name: unrelated
                    from: { mqtt: "other/{x}" }
                    to: { kafka: { connection: main, topic: "other" } }
                  - name: down
                    from: { mqtt: { connection: cloud, topic: "edge/+" } }
                    to: { mqtt: { topic: "alarms/back" } }
                """)));

        assertTrue(error.startsWith("9:11: routes[0].from: routes 'up', 'down' read what they write"), error);
        assertTrue(error.contains("'up' writes 'edge/{x}' to MQTT connection 'cloud', which 'down' reads as 'edge/+'; "
                + "'down' writes 'alarms/back' to the built-in broker, which 'up' reads as 'alarms/{x}'"), error);
    }

    @Test
    void aBridgeBothWaysWithPrefixesTheOtherSideDoesNotMatchIsAccepted() throws ConfigException {
        TributaryConfig config = files.load(CONNECTIONS + """
                routes:
                  - name: up
                    from: { mqtt: "local/{x...}" }
                    to: { mqtt: { connection: cloud, topic: "from-edge/{x}" } }
                  - name: down
                    from: { mqtt: { connection: cloud, topic: "to-edge/{x...}" } }
                    to: { mqtt: { topic: "remote/{x}" } }
                """);

        assertEquals(2, config.routes().size());
    }

    @Test
    void aChainWithoutAWayBackIsAccepted() throws ConfigException {
        TributaryConfig config = files.load(CONNECTIONS + """
                routes:
                  - name: alarms-to-cloud
                    from: { mqtt: "sites/{site}/alarms/#" }
                    to: { mqtt: { connection: cloud, topic: "edge/{site}/alarms" } }
                  - name: cloud-to-kafka
                    from: { mqtt: { connection: cloud, topic: "edge/#" } }
                    to: { kafka: { connection: main, topic: "alarms" } }
                """);

        assertEquals(2, config.routes().size());
    }

    @Test
    void theSameTopicOnAnotherBrokerIsNoCircle() throws ConfigException {
        TributaryConfig config = files.load(CONNECTIONS + """
                routes:
                  - name: plant-to-cloud
                    from: { mqtt: { connection: plant, topic: "data/{x}" } }
                    to: { mqtt: { connection: cloud, topic: "data/{x}" } }
                """);

        assertEquals(1, config.routes().size());
    }

    @Test
    void aPlaceholderThatMayHoldSeveralLevelsMatchesDeeperFilters() {
        // {x} comes from a multi-level placeholder, so "out/{x}" may be out/a/b/c, which out/+/+/c matches.
        String error = at(only(files.errors("""
                routes:
                  - name: deep
                    from: { mqtt: "out/+/+/c" }
                    to: { mqtt: { topic: "in/x" } }
                  - name: back
                    from: { mqtt: "in/{x...}" }
                    to: { mqtt: { topic: "out/{x}" } }
                """)));

        assertTrue(error.contains("routes 'deep', 'back' read what they write"), error);
    }

    @Test
    void aOneLevelPlaceholderDoesNotMatchDeeperFilters() throws ConfigException {
        TributaryConfig config = files.load("""
                routes:
                  - name: deep
                    from: { mqtt: "out/+/+/c" }
                    to: { mqtt: { topic: "in/x" } }
                  - name: back
                    from: { mqtt: "in/{x}" }
                    to: { mqtt: { topic: "out/{x}" } }
                """);

        assertEquals(2, config.routes().size());
    }

    @Test
    void aRouteWithAConditionStillCounts() {
        List<ConfigError> errors = files.errors("""
                routes:
                  - name: echo
                    from: { mqtt: "a/{x}" }
                    condition: "{x} == 'never'"
                    to: { mqtt: { topic: "a/{x}" } }
                """);

        assertEquals(1, errors.size(), errors.toString());
        assertTrue(at(errors.get(0)).contains("route 'echo' reads what it writes"), at(errors.get(0)));
    }
}
