package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionsSectionTest.at;
import static io.tributary.bridge.config.ConnectionsSectionTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two routes reading one external connection through subscriptions that can both match one topic are refused at
 * load, at the second route, naming both routes, the first's line and both filters; one subscription read by two
 * routes, and filters that cannot meet, are not.
 */
class RouteOverlapsTest {

    private static final String CONNECTIONS = """
            connections:
              mqtt:
                plant: { url: "tcp://plant:1883" }
                cloud: { url: "tcp://cloud:1883" }
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
    void aMultiLevelFilterAndADeeperOneOnOneConnectionAreRefusedNamingBoth() {
        String error = at(only(files.errors(CONNECTIONS + routes("a/#", "a/+/b"))));

        assertEquals("12:11: routes[1].from: routes 'first' (line 8) and 'second' read MQTT connection 'plant' as "
                + "'a/#' and 'a/+/b', which can both match one topic; the broker may send such a message once per "
                + "subscription, and each route would get every copy: give each route its own connection (another "
                + "client-id), or filters that match no topic in common", error);
    }

    @Test
    void templateLevelsOverlapLikeTheirWildcards() {
        String error = at(only(files.errors(CONNECTIONS + routes("sites/{site}/alarms", "sites/north/+"))));

        assertTrue(error.contains("as 'sites/+/alarms' and 'sites/north/+', which can both match"), error);
    }

    @Test
    void twoSharedGroupsOnOneFilterAreTwoSubscriptions() {
        String error = at(only(files.errors(CONNECTIONS + """
                routes:
                  - name: first
                    from: { mqtt: { connection: plant, topic: "a/+", shared-group: g1 } }
                    to: { kafka: { connection: main, topic: "one" } }
                  - name: second
                    from: { mqtt: { connection: plant, topic: "a/+", shared-group: g2 } }
                    to: { kafka: { connection: main, topic: "two" } }
                """)));

        assertTrue(error.contains("as '$share/g1/a/+' and '$share/g2/a/+', which can both match"), error);
    }

    @Test
    void aSharedAndAPlainSubscriptionOfOneFilterOverlap() {
        String error = at(only(files.errors(CONNECTIONS + """
                routes:
                  - name: first
                    from: { mqtt: { connection: plant, topic: "a/+", shared-group: g1 } }
                    to: { kafka: { connection: main, topic: "one" } }
                  - name: second
                    from: { mqtt: { connection: plant, topic: "a/#" } }
                    to: { kafka: { connection: main, topic: "two" } }
                """)));

        assertTrue(error.contains("as '$share/g1/a/+' and 'a/#'"), error);
    }

    @Test
    void oneSubscriptionReadByTwoRoutesIsAccepted() throws ConfigException {
        // The broker holds one subscription and sends one copy, which the link hands to both routes.
        TributaryConfig config = files.load(CONNECTIONS + routes("sites/{site}/t", "sites/+/t"));

        assertEquals(2, config.routes().size());
    }

    @Test
    void oneSubscriptionAtTwoQosIsRefused() {
        String error = at(only(files.errors(CONNECTIONS + """
                routes:
                  - name: first
                    from: { mqtt: { connection: plant, topic: "a/+", qos: 0 } }
                    to: { kafka: { connection: main, topic: "one" } }
                  - name: second
                    from: { mqtt: { connection: plant, topic: "a/+", qos: 1 } }
                    to: { kafka: { connection: main, topic: "two" } }
                """)));

        assertTrue(error.contains("route 'second' reads 'a/+' from MQTT connection 'plant' at QoS 1, and route "
                + "'first' (line 8) reads it at QoS 0"), error);
    }

    @Test
    void filtersThatMeetNoTopicAreAccepted() throws ConfigException {
        assertEquals(2, files.load(CONNECTIONS + routes("a/#", "b/#")).routes().size());
        assertEquals(2, files.load(CONNECTIONS + routes("a/+/c", "a/+/d")).routes().size());
        assertEquals(2, files.load(CONNECTIONS + routes("a/+", "a/+/+")).routes().size());
        assertEquals(2, files.load(CONNECTIONS + routes("#", "$SYS/#")).routes().size());
    }

    @Test
    void theSameFiltersOnTwoConnectionsAreAccepted() throws ConfigException {
        TributaryConfig config = files.load(CONNECTIONS + """
                routes:
                  - name: first
                    from: { mqtt: { connection: plant, topic: "a/#" } }
                    to: { kafka: { connection: main, topic: "one" } }
                  - name: second
                    from: { mqtt: { connection: cloud, topic: "a/#" } }
                    to: { kafka: { connection: main, topic: "two" } }
                  - name: built-in
                    from: { mqtt: "a/#" }
                    to: { kafka: { connection: main, topic: "three" } }
                """);

        assertEquals(3, config.routes().size());
    }

    @Test
    void filtersMeetWhereAMultiLevelWildcardMatchesItsParent() {
        assertTrue(intersect("a/#", "a"));
        assertTrue(intersect("#", "a/b/c"));
        assertTrue(intersect("+/b/#", "a/+"));
        assertTrue(intersect("+/+", "a/b"));
        assertFalse(intersect("a/+", "a"));
        assertFalse(intersect("+/b", "a/c"));
        assertFalse(intersect("+/x", "$SYS/x"));
    }

    private static boolean intersect(String a, String b) {
        return RouteOverlaps.intersect(a.split("/", -1), b.split("/", -1));
    }

    private static String routes(String first, String second) {
        return """
                routes:
                  - name: first
                    from: { mqtt: { connection: plant, topic: "%s" } }
                    to: { kafka: { connection: main, topic: "one" } }
                  - name: second
                    from: { mqtt: { connection: plant, topic: "%s" } }
                    to: { kafka: { connection: main, topic: "two" } }
                """.formatted(first, second);
    }
}
