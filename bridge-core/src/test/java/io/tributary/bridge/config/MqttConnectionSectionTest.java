package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionsSectionTest.at;
import static io.tributary.bridge.config.ConnectionsSectionTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.mapping.Template;
import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.QoS;
import io.tributary.testsupport.tls.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code connections.mqtt} and routes reading from an external MQTT broker ({@code from.mqtt.connection}) and
 * writing to one ({@code to.mqtt.connection}).
 */
class MqttConnectionSectionTest {

    private static final String PLANT = """
            connections:
              mqtt:
                plant:
                  url: tcp://10.0.0.5:1883
                  version: 5
                  client-id: tributary-plant
                  username: bridge
                  password: { env: PLANT_PASSWORD }
                  session-expiry: 1d
            """;

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
    }

    @Test
    void theIssuesConnectionAndRouteLoadAsWritten() throws ConfigException {
        TributaryConfig config = files.load(PLANT + """
                  kafka:
                    main: { bootstrap-servers: "kafka:9092" }
                routes:
                  - name: plant-telemetry-to-kafka
                    from: { mqtt: { connection: plant, topic: "sites/{site}/devices/{device}/telemetry", qos: 1, shared-group: tributary } }
                    to:   { kafka: { connection: main, topic: "telemetry.{site}", key: "{device}" } }
                """);

        assertEquals(new MqttConnectionSettings("plant", new MqttConnectionSettings.Address(false, "10.0.0.5", 1883),
                "tributary-plant", Optional.of("bridge"), Optional.of(Secret.fromEnvironment("PLANT_PASSWORD")),
                Duration.ofDays(1), Duration.ofSeconds(30), 100, Duration.ofSeconds(30), 8, Optional.empty(),
                MqttConnectionSettings.Version.MQTT_5),
                config.connections().mqtt("plant").orElseThrow());
        RouteSource.ExternalMqtt source = (RouteSource.ExternalMqtt) config.routes().get(0).from();
        assertEquals(new RouteSource.ExternalMqtt("plant", TopicPattern.parse("sites/{site}/devices/{device}/telemetry"),
                QoS.AT_LEAST_ONCE, Optional.of("tributary")), source);
    }

    @Test
    void keysLeftOutTakeTheirDefaults() throws ConfigException {
        MqttConnectionSettings plant = files.load("connections: { mqtt: { plant: { url: \"tcp://broker\" } } }")
                .connections().mqtt("plant").orElseThrow();

        assertEquals(List.of(1883, Optional.empty(), Optional.empty(), Duration.ofDays(1), Duration.ofSeconds(30), 100,
                        Duration.ofSeconds(30), 8),
                List.of(plant.url().port(), plant.username(), plant.password(), plant.sessionExpiry(),
                        plant.keepAlive(), plant.maxInFlight(), plant.publishTimeout(), plant.maxHops()));
        assertTrue(plant.clientId().startsWith("tributary-plant-"), plant.clientId());
    }

    @Test
    void theMappingWithoutConnectionIsTheBuiltInBroker() throws ConfigException {
        RouteSource from = files.load("""
                routes:
                  - name: r
                    from: { mqtt: { topic: "a/{x}" } }
                    to: { mqtt: { topic: "b/{x}" } }
                """).routes().get(0).from();

        assertEquals(new RouteSource.Mqtt(TopicPattern.parse("a/{x}")), from);
    }

    @Test
    void anExternalRoutesTemplatesUseTheFiltersPlaceholders() {
        ConfigError error = only(files.errors(PLANT + """
                routes:
                  - name: r
                    from: { mqtt: { connection: plant, topic: "sites/{site}/t" } }
                    to: { mqtt: { topic: "copy/{device}" } }
                """));

        assertTrue(error.message().contains("{device}") && error.message().contains("site"), error.message());
    }

    @Test
    void sslWithoutTlsTrustsTheJvmsAuthorities() throws ConfigException {
        MqttConnectionSettings plant = files.load("connections: { mqtt: { plant: { url: \"mqtts://broker\" } } }")
                .connections().mqtt("plant").orElseThrow();

        assertEquals(new MqttConnectionSettings.Address(true, "broker", 8883), plant.url());
        assertEquals(Optional.empty(), plant.tls());
    }

    @Test
    void tlsReadsTheAuthorityAndTheClientCertificate() throws ConfigException {
        TestCertificates.Authority ca = TestCertificates.authority("CA");
        ca.writeCertificate(folder.resolve("ca.crt"));
        ca.client("tributary").write(folder, "client");

        MqttConnectionSettings plant = files.load("""
                connections:
                  mqtt:
                    plant:
                      url: ssl://broker:8883
                      tls: { ca: ca.crt, cert: client.crt, key: client.key }
                """).connections().mqtt("plant").orElseThrow();

        assertEquals(Optional.of(new MqttConnectionSettings.Tls(Optional.of(folder.resolve("ca.crt")),
                Optional.of(folder.resolve("client.crt")), Optional.of(folder.resolve("client.key")), true)),
                plant.tls());
    }

    @Test
    void tlsWithATcpUrlIsRefused() {
        TestCertificates.authority("CA").writeCertificate(folder.resolve("ca.crt"));

        assertEquals("3:45: connections.mqtt.plant.tls: tls is for a broker reached over TLS: write the url as "
                + "ssl://host:port", at(only(files.errors("""
                connections:
                  mqtt:
                    plant: { url: "tcp://broker:1883", tls: { ca: ca.crt } }
                """))));
    }

    @Test
    void aCertificateWithoutItsKeyIsRefused() {
        TestCertificates.authority("CA").client("tributary").writeCertificate(folder.resolve("client.crt"));

        assertEquals("3:53: connections.mqtt.plant.tls.cert: a client certificate needs its private key: add key, "
                + "the PEM file of it", at(only(files.errors("""
                connections:
                  mqtt:
                    plant: { url: "ssl://broker:8883", tls: { cert: client.crt } }
                """))));
    }

    @Test
    void missingAndUnreadableFilesAreReportedAtTheirKeys() throws Exception {
        java.nio.file.Files.writeString(folder.resolve("ca.crt"), "not a certificate");
        TestCertificates.Authority ca = TestCertificates.authority("CA");
        ca.client("tributary").writeCertificate(folder.resolve("client.crt"));
        ca.client("other").writeKey(folder.resolve("other.key"));

        List<String> errors = files.errors("""
                connections:
                  mqtt:
                    plant:
                      url: ssl://broker:8883
                      tls: { ca: ca.crt, cert: client.crt, key: other.key }
                    cloud:
                      url: ssl://cloud
                      tls: { ca: absent.crt }
                """).stream().map(ConnectionsSectionTest::at).toList();

        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("5:18: connections.mqtt.plant.tls.ca: no PEM certificate"), errors.get(0));
        assertTrue(errors.get(1).startsWith("5:49: connections.mqtt.plant.tls.key: the key ")
                && errors.get(1).contains("does not belong to the first certificate"), errors.get(1));
        assertTrue(errors.get(2).startsWith("8:18: connections.mqtt.cloud.tls.ca: no such file: "), errors.get(2));
    }

    @Test
    void version311IsRead() throws ConfigException {
        MqttConnectionSettings plant = files.load("""
                connections:
                  mqtt:
                    plant: { url: "tcp://broker", version: 3.1.1 }
                """).connections().mqtt("plant").orElseThrow();

        assertEquals(MqttConnectionSettings.Version.MQTT_3_1_1, plant.version());
    }

    @Test
    void version311NeedsAUserNameForAPassword() {
        assertEquals("3:61: connections.mqtt.plant.password: MQTT 3.1.1 sends a password only with a user name: add "
                + "username", at(only(files.errors("""
                connections:
                  mqtt:
                    plant: { url: "tcp://broker", version: 3.1.1, password: { env: P } }
                """))));
    }

    @Test
    void badValuesAreReportedAtTheirKey() {
        List<String> errors = files.errors("""
                connections:
                  mqtt:
                    plant:
                      url: "http://broker"
                      version: 4
                      client-id: "two words"
                      session-expiry: 200000d
                      keep-alive: 1500ms
                      max-inflight: 0
                      password: hunter2
                      publish-timeout: 0s
                      max-hops: 256
                """).stream().map(ConnectionsSectionTest::at).toList();

        assertEquals(List.of(
                "4:12: connections.mqtt.plant.url: expected an MQTT broker address such as tcp://host:1883, got "
                        + "'http://broker'",
                "5:16: connections.mqtt.plant.version: expected 5 or 3.1.1, got '4'",
                "6:18: connections.mqtt.plant.client-id: expected a client identifier of up to 256 characters "
                        + "without spaces, got 'two words'",
                "7:23: connections.mqtt.plant.session-expiry: session-expiry is longer than MQTT 5 can carry: at "
                        + "most 4294967295s",
                "8:19: connections.mqtt.plant.keep-alive: keep-alive is whole seconds up to 65535s",
                "9:21: connections.mqtt.plant.max-inflight: expected an integer 1-65535, got '0'",
                "10:17: connections.mqtt.plant.password: a secret is never written in the configuration: use "
                        + "{ env: NAME } or { file: PATH }",
                "11:24: connections.mqtt.plant.publish-timeout: expected a duration such as 500ms, 5s or 2m, got '0s'",
                "12:17: connections.mqtt.plant.max-hops: expected an integer 1-255, got '256'"), errors);
    }

    @Test
    void anUnknownConnectionIsReportedWithTheKnownOnes() {
        assertEquals("12:33: routes[0].from.mqtt.connection: unknown connection 'plnt' (did you mean 'plant'?); known "
                + "MQTT connections: plant", at(only(files.errors(PLANT + """
                routes:
                  - name: r
                    from: { mqtt: { connection: plnt, topic: "a/b" } }
                    to: { mqtt: { topic: "b" } }
                """))));
    }

    @Test
    void qosAndSharedGroupNeedAConnection() {
        List<String> errors = files.errors("""
                routes:
                  - name: r
                    from: { mqtt: { topic: "a/b", qos: 2, shared-group: g } }
                    to: { mqtt: { topic: "b" } }
                """).stream().map(ConfigError::message).toList();

        assertEquals(List.of("qos is only for an external broker (with connection); the built-in broker hands a route "
                        + "every message at the QoS it was published with",
                "shared-group is only for an external broker (with connection); the built-in broker hands a route "
                        + "every message at the QoS it was published with"), errors);
    }

    @Test
    void shareWrittenInTheTopicIsRefusedForSharedGroup() {
        assertEquals("write the topic without $share/GROUP/ and give the group as shared-group",
                only(files.errors(PLANT + """
                routes:
                  - name: r
                    from: { mqtt: { connection: plant, topic: "$share/g/a/b" } }
                    to: { mqtt: { topic: "b" } }
                """)).message());
    }

    @Test
    void ackBufferIsRefusedOnARouteFromAnExternalBroker() {
        ConfigError error = only(files.errors(PLANT + """
                routes:
                  - name: r
                    from: { mqtt: { connection: plant, topic: "a/b" } }
                    to: { mqtt: { topic: "b" } }
                    ack: buffer
                """));

        assertEquals("routes[0].ack", error.path());
        assertTrue(error.message().startsWith("ack: buffer is not yet supported for a route from an external broker"),
                error.message());
    }

    @Test
    void theIssuesRouteToAnExternalBrokerLoadsAsWritten() throws ConfigException {
        RouteSettings route = files.load("""
                connections:
                  mqtt:
                    cloud: { url: "tcp://cloud.example:1883" }
                routes:
                  - name: alarms-to-cloud
                    from: { mqtt: "sites/{site}/alarms/#" }                    # the built-in broker
                    to:   { mqtt: { connection: cloud, topic: "edge/{site}/alarms", qos: 1 } }
                """).routes().get(0);

        assertEquals(new RouteSink.Mqtt(Optional.of("cloud"), Template.parse("edge/{site}/alarms"),
                Optional.of(QoS.AT_LEAST_ONCE), false), route.to());
    }

    @Test
    void aSinkWithoutConnectionIsTheBuiltInBroker() throws ConfigException {
        RouteSink to = files.load("""
                routes:
                  - name: r
                    from: { mqtt: "a/{x}" }
                    to: { mqtt: { topic: "b/{x}", retain: true } }
                """).routes().get(0).to();

        assertEquals(new RouteSink.Mqtt(Template.parse("b/{x}"), Optional.empty(), true), to);
    }

    @Test
    void aSinksUnknownConnectionIsReportedWithTheKnownOnes() {
        assertEquals("14:31: routes[0].to.mqtt.connection: unknown connection 'clod' (did you mean 'cloud'?); known "
                + "MQTT connections: cloud, plant", at(only(files.errors(PLANT + """
                    cloud: { url: "tcp://cloud" }
                routes:
                  - name: r
                    from: { mqtt: "a/b" }
                    to: { mqtt: { connection: clod, topic: "b" } }
                """))));
    }

    @Test
    void aSinksQosOutOfRangeAndATopicWithWildcardsAreReportedAtTheirKeys() {
        List<String> errors = files.errors(PLANT + """
                routes:
                  - name: r
                    from: { mqtt: "a/{x}" }
                    to: { mqtt: { connection: plant, topic: "b/+/{x}/#", qos: 3 } }
                """).stream().map(ConnectionsSectionTest::at).toList();

        assertEquals(List.of("13:45: routes[0].to.mqtt.topic: expected a topic to publish to, not empty and without the "
                        + "wildcards '+' and '#', got 'b/+/{x}/#'",
                "13:63: routes[0].to.mqtt.qos: expected 0, 1 or 2, got '3'"), errors);
    }
}
