package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionsSectionTest.at;
import static io.tributary.bridge.config.ConnectionsSectionTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration read for Tributary inside HiveMQ (hosted), and the {@code hivemq} section outside it. */
class HostedConfigTest {

    private static final String SOURCE = "tributary.yaml";
    private static final String ROUTES = """
            connections:
              kafka:
                main: { bootstrap-servers: "127.0.0.1:9092" }
            routes:
              - name: telemetry
                from: { mqtt: "sites/{site}/t" }
                to: { kafka: { connection: main, topic: "telemetry.{site}" } }
            """;

    private final ConfigLoader hosted = new ConfigLoader(Map.of()).hostedBy("HiveMQ");

    @Test
    void routesAndConnectionsAreReadAsForTributaryRun() throws ConfigException {
        HostedConfig config = hosted.loadHostedString(SOURCE, ROUTES);

        assertEquals(new ConfigLoader(Map.of()).loadString(SOURCE, ROUTES), config.config());
        assertEquals(Duration.ofMinutes(10), config.hivemq().holdTimeout());
    }

    @Test
    void holdTimeoutIsRead() throws ConfigException {
        HostedConfig config = hosted.loadHostedString(SOURCE, ROUTES + "hivemq: { hold-timeout: 90s }\n");

        assertEquals(Duration.ofSeconds(90), config.hivemq().holdTimeout());
    }

    @Test
    void theDataDirectoryIsTheHostsUnlessTheFileNamesOne(@TempDir Path folder) throws ConfigException {
        ConfigLoader loader = new ConfigLoader(Map.of()).hostedBy("HiveMQ", folder.resolve("hivemq-data/tributary"));

        assertEquals(folder.resolve("hivemq-data/tributary").toAbsolutePath(),
                loader.loadHostedString(SOURCE, ROUTES).config().dataDirectory());
        assertEquals(folder.resolve("mine").toAbsolutePath(), loader.loadHostedString(SOURCE,
                ROUTES + "data-directory: \"" + folder.resolve("mine") + "\"\n").config().dataDirectory());
    }

    @Test
    void holdTimeoutUnderOneSecondIsRefused() {
        ConfigError error = only(hostedErrors("hivemq: { hold-timeout: 500ms }\n"));

        assertEquals("1:25: hivemq.hold-timeout: expected a duration of at least 1s, such as 30s or 10m, got '500ms'",
                at(error));
    }

    @Test
    void everyBrokerKeyIsRefusedAtItsOwnLine() {
        List<ConfigError> errors = hostedErrors("""
                broker:
                  listeners:
                    - { type: tcp, port: 1883 }
                  max-connections: 100
                """);

        String why = "does not apply inside HiveMQ: HiveMQ's own configuration and extensions set its listeners, "
                + "limits, authentication and persistence";
        assertEquals(List.of("2:3: broker.listeners: " + why, "4:3: broker.max-connections: " + why),
                errors.stream().map(ConnectionsSectionTest::at).toList());
    }

    @Test
    void anEmptyBrokerSectionIsAccepted() throws ConfigException {
        assertEquals(Duration.ofMinutes(10), hosted.loadHostedString(SOURCE, "broker:\n").hivemq().holdTimeout());
    }

    @Test
    void theHttpApiEmbeddedKafkaAndBufferAckAreRefused() {
        List<ConfigError> errors = hostedErrors("""
                http-api: { tokens: [ { env: T } ] }
                connections:
                  kafka:
                    local: embedded
                routes:
                  - name: buffered
                    from: { mqtt: "a/b" }
                    to: { kafka: { connection: local, topic: t } }
                    ack: buffer
                """);

        assertEquals(List.of(
                        "1:1: http-api: is not available inside HiveMQ yet",
                        "4:12: connections.kafka.local: an embedded Kafka does not run inside HiveMQ; "
                                + "set bootstrap-servers",
                        "9:5: routes[0].ack: `buffer` is not available inside HiveMQ yet; use `sink`"),
                errors.stream().map(ConnectionsSectionTest::at).toList());
    }

    @Test
    void aClusterIsRefused() {
        ConfigError error = only(hostedErrors("cluster: { kafka: main, node: n1 }\n"));

        assertEquals("1:1: cluster: does not apply inside HiveMQ: HiveMQ clusters itself",
                ConnectionsSectionTest.at(error));
    }

    @Test
    void embeddedTrueIsRefusedAtItsKey() {
        ConfigError error = only(hostedErrors("connections: { kafka: { main: { embedded: true } } }\n"));

        assertEquals("1:33: connections.kafka.main.embedded: an embedded Kafka does not run inside HiveMQ; "
                + "set bootstrap-servers", at(error));
    }

    @Test
    void tributaryRunRefusesTheHiveMqSection() {
        ConfigError error = only(standaloneErrors(ROUTES + "hivemq: { hold-timeout: 1m }\n"));

        assertEquals("8:1: hivemq: applies only inside HiveMQ, where Tributary runs as its extension; "
                + "`tributary run` has a broker of its own (see `broker`)", at(error));
    }

    @Test
    void aLoaderThatIsNotHostedCannotLoadHosted() {
        assertThrows(IllegalStateException.class, () -> new ConfigLoader(Map.of()).loadHostedString(SOURCE, ""));
    }

    private static List<ConfigError> hostedErrors(String yaml) {
        ConfigLoader hosted = new ConfigLoader(Map.of()).hostedBy("HiveMQ");
        return assertThrows(ConfigException.class, () -> hosted.loadHostedString(SOURCE, yaml)).errors();
    }

    private static List<ConfigError> standaloneErrors(String yaml) {
        return assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).loadString(SOURCE, yaml)).errors();
    }
}
