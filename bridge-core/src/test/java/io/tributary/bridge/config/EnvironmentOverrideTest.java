package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.mapping.Template;
import io.tributary.broker.ListenerConfig;
import io.tributary.testsupport.tls.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Environment variables that override any scalar key: their names, what they reach, and their errors. */
class EnvironmentOverrideTest {

    private static final String ROUTES = """
            connections:
              kafka:
                main: { bootstrap-servers: "kafka-1:9092" }
              jdbc:
                store: { url: "jdbc:postgresql://db:5432/tributary" }
            routes:
              - name: telemetry-to-kafka
                from: { mqtt: "sites/{site}/telemetry" }
                to:   { kafka: { connection: main, topic: "telemetry.{site}" } }
                retry: { max-attempts: 3 }
              - name: readings
                from: { mqtt: "sites/{site}/readings" }
                to:
                  jdbc:
                    connection: store
                    table: readings
                    columns: { site: "{site}" }
            """;

    @TempDir
    Path folder;

    private ConfigFiles withEnvironment(Map<String, String> variables) {
        return new ConfigFiles(folder).withEnvironment(variables);
    }

    private TributaryConfig load(String yaml, String variable, String value) throws ConfigException {
        return withEnvironment(Map.of(variable, value)).load(yaml);
    }

    private List<String> errors(String yaml, String variable, String value) {
        return withEnvironment(Map.of(variable, value)).errors(yaml).stream().map(ConfigError::render).toList();
    }

    @Test
    void topLevelKeyIsOverriddenAndResolvedAgainstTheFilesFolder() throws ConfigException {
        TributaryConfig config = load("data-directory: /var/lib/tributary", "TRIBUTARY_DATA_DIRECTORY", "store");

        assertEquals(folder.resolve("store"), config.dataDirectory());
    }

    @Test
    void keyOfAMappingIsOverridden() throws ConfigException {
        TributaryConfig config = load("""
                http-api:
                  port: 8080
                  tokens: [ { env: API_TOKEN } ]
                """, "TRIBUTARY_HTTP_API_PORT", "9090");

        assertEquals(9090, config.httpApi().orElseThrow().port());
    }

    @Test
    void keyOfANamedConnectionIsOverridden() throws ConfigException {
        TributaryConfig config = load(ROUTES, "TRIBUTARY_CONNECTIONS_KAFKA_MAIN_BOOTSTRAP_SERVERS", "kafka-2:9092");

        assertEquals("kafka-2:9092", config.connections().kafka().get("main").bootstrapServers());
    }

    @Test
    void keyOfARouteIsOverriddenByTheRoutesName() throws ConfigException {
        TributaryConfig config = load(ROUTES, "TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_TO_KAFKA_TOPIC", "metrics.{site}");

        assertEquals("metrics.{site}", ((RouteSink.Kafka) config.routes().get(0).to()).topic().toString());
    }

    @Test
    void keyOfAListenerIsOverriddenByItsIndex() throws ConfigException {
        TributaryConfig config = load("""
                broker:
                  listeners:
                    - { type: tcp, port: 1883 }
                    - { type: websocket, port: 8083 }
                """, "TRIBUTARY_BROKER_LISTENERS_1_PORT", "9083");

        assertEquals(List.of(1883, 9083), config.broker().listeners().stream().map(ListenerConfig::port).toList());
    }

    @Test
    void nestedKeysAreOverridden() throws ConfigException {
        TributaryConfig config = withEnvironment(Map.of(
                "TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_RETRY_MAX_ATTEMPTS", "7",
                "TRIBUTARY_ROUTES_READINGS_TO_JDBC_BATCH_SIZE", "500")).load(ROUTES);

        assertEquals(7, config.routes().get(0).retry().maxAttempts());
        assertEquals(500, ((RouteSink.Jdbc) config.routes().get(1).to()).batchSize());
    }

    @Test
    void mappingWhoseKeysAllHaveDefaultsIsAddedWhenTheFileLeavesItOut() throws ConfigException {
        TributaryConfig config = load(ROUTES, "TRIBUTARY_ROUTES_READINGS_RETRY_INITIAL_BACKOFF", "2s");

        assertEquals(new RetrySettings(5, Duration.ofSeconds(2), 2, Duration.ofSeconds(30)),
                config.routes().get(1).retry());
    }

    @Test
    void tlsFileOfAListenerIsOverridden() throws ConfigException {
        ConfigFiles files = withEnvironment(Map.of("TRIBUTARY_BROKER_LISTENERS_0_TLS_CERT", "other.crt"));
        TestCertificates.Issued server = TestCertificates.authority("CA").server("localhost");
        server.write(folder, "server");
        server.writeCertificate(folder.resolve("other.crt"));

        TributaryConfig config = files.load("""
                broker:
                  listeners:
                    - { port: 8883, tls: { cert: server.crt, key: server.key } }
                """);

        assertEquals(folder.resolve("other.crt"), config.broker().listeners().get(0).tls().certificateChain());
    }

    @Test
    void entriesOfNamesAreOverridden() throws ConfigException {
        TributaryConfig config = withEnvironment(Map.of(
                "TRIBUTARY_CONNECTIONS_KAFKA_MAIN_PROPERTIES_SECURITY_PROTOCOL", "SSL",
                "TRIBUTARY_ROUTES_READINGS_TO_JDBC_COLUMNS_SITE", "{site}-x")).load(ROUTES.replace(
                "main: { bootstrap-servers: \"kafka-1:9092\" }",
                "main: { bootstrap-servers: \"kafka-1:9092\", properties: { security.protocol: PLAINTEXT } }"));

        assertEquals(Map.of("security.protocol", "SSL"), config.connections().kafka().get("main").properties());
        assertEquals("{site}-x", ((RouteSink.Jdbc) config.routes().get(1).to()).columns().get(0).value().toString());
    }

    @Test
    void overrideOfOneRouteLeavesAnAliasSharedWithAnotherAsWritten() throws ConfigException {
        TributaryConfig config = load("""
                connections: { kafka: { main: { bootstrap-servers: "kafka-1:9092" } } }
                routes:
                  - name: a
                    from: { mqtt: "a/#" }
                    to: { kafka: { connection: main, topic: a } }
                    retry: &retry { max-attempts: 3 }
                  - name: b
                    from: { mqtt: "b/#" }
                    to: { kafka: { connection: main, topic: b } }
                    retry: *retry
                """, "TRIBUTARY_ROUTES_A_RETRY_MAX_ATTEMPTS", "9");

        assertEquals(List.of(9, 3), config.routes().stream().map(r -> r.retry().maxAttempts()).toList());
    }

    @Test
    void invalidValueIsReportedAtTheVariable() {
        assertEquals(List.of("environment variable TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_RETRY_MAX_ATTEMPTS: "
                        + "routes[0].retry.max-attempts: expected an integer of at least 1, got 'many'"),
                errors(ROUTES, "TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_RETRY_MAX_ATTEMPTS", "many"));
    }

    @Test
    void problemWithAnAddedMappingIsReportedAtTheVariable() {
        assertEquals(List.of("environment variable TRIBUTARY_ROUTES_READINGS_RETRY_INITIAL_BACKOFF: "
                        + "routes[1].retry.initial-backoff: max-backoff 30s is shorter than initial-backoff 1m"),
                errors(ROUTES, "TRIBUTARY_ROUTES_READINGS_RETRY_INITIAL_BACKOFF", "1m"));
    }

    @Test
    void valueIsTakenAsWritten() {
        List<String> errors = withEnvironment(Map.of("TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_RETRY_MAX_ATTEMPTS",
                "${ATTEMPTS}", "ATTEMPTS", "4")).errors(ROUTES).stream().map(ConfigError::render).toList();

        assertEquals(List.of("environment variable TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_RETRY_MAX_ATTEMPTS: "
                + "routes[0].retry.max-attempts: expected an integer of at least 1, got '${ATTEMPTS}'"), errors);
    }

    @Test
    void templateIsCheckedAgainstTheRoutesVariables() {
        List<String> errors = errors(ROUTES, "TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_TO_KAFKA_TOPIC", "{SITE}");

        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("environment variable TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_TO_KAFKA_TOPIC: "
                + "routes[0].to.kafka.topic: unknown variable {SITE} (did you mean {site}?)"), errors.get(0));
    }

    @Test
    void misspelledKeyIsReportedWithTheClosestVariable() {
        assertEquals(List.of("environment variable TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_TO_KAFKA_TOPPIC: matches no "
                        + "key of 'routes[0].to.kafka' (did you mean "
                        + "TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_TO_KAFKA_TOPIC?); TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_TO_KAFKA_* can override connection, topic, key"),
                errors(ROUTES, "TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_TO_KAFKA_TOPPIC", "x"));
    }

    @Test
    void routeTheFileDoesNotHaveIsReportedWithTheClosestName() {
        assertEquals(List.of("environment variable TRIBUTARY_ROUTES_TELEMETRY_TO_KAFK_TO_KAFKA_TOPIC: routes: no "
                        + "route named TELEMETRY_TO_KAFK in the file (did you mean "
                        + "TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_TO_KAFKA_TOPIC?); an environment variable can change a "
                        + "route of the file but not add one"),
                errors(ROUTES, "TRIBUTARY_ROUTES_TELEMETRY_TO_KAFK_TO_KAFKA_TOPIC", "x"));
    }

    @Test
    void connectionTheFileDoesNotHaveIsReported() {
        assertEquals(List.of("environment variable TRIBUTARY_CONNECTIONS_KAFKA_BACKUP_BOOTSTRAP_SERVERS: "
                        + "connections.kafka: no Kafka connection named BACKUP in the file; an environment variable "
                        + "can change a Kafka connection of the file but not add one"),
                errors(ROUTES, "TRIBUTARY_CONNECTIONS_KAFKA_BACKUP_BOOTSTRAP_SERVERS", "kafka-2:9092"));
    }

    @Test
    void listenerTheFileDoesNotListIsReported() {
        assertEquals(List.of("environment variable TRIBUTARY_BROKER_LISTENERS_0_PORT: broker.listeners: no "
                        + "listener 0 in the file; an environment variable can change a listener of the file but not "
                        + "add one"),
                errors("", "TRIBUTARY_BROKER_LISTENERS_0_PORT", "1884"));
    }

    @Test
    void mappingWithARequiredKeyIsNotAdded() {
        assertEquals(List.of("environment variable TRIBUTARY_HTTP_API_PORT: http-api: not in the file, and an "
                        + "environment variable cannot add it; write it in the file to override its keys"),
                errors("", "TRIBUTARY_HTTP_API_PORT", "9090"));
    }

    @Test
    void keyOfAnEntryWrittenAsOneValueIsNotOverridden() {
        assertEquals(List.of("environment variable TRIBUTARY_CONNECTIONS_KAFKA_MAIN_PORT: connections.kafka.main: "
                        + "written as 'embedded' in the file, not as a mapping; write it as one to override its keys"),
                errors("connections: { kafka: { main: embedded } }", "TRIBUTARY_CONNECTIONS_KAFKA_MAIN_PORT", "9093"));
    }

    @Test
    void variableNamingTwoKeysIsReportedWithBoth() {
        assertEquals(List.of("environment variable TRIBUTARY_CONNECTIONS_KAFKA_A_PROPERTIES_PORT: matches more than "
                        + "one key: connections.kafka.a.properties.port, connections.kafka.a-properties.port; rename "
                        + "one so that each variable names one key"),
                errors("""
                        connections:
                          kafka:
                            a: { bootstrap-servers: "kafka-1:9092", properties: { port: "1" } }
                            a-properties: { embedded: true, port: 9093 }
                        """, "TRIBUTARY_CONNECTIONS_KAFKA_A_PROPERTIES_PORT", "9094"));
    }

    @Test
    void secretHasNoVariable() {
        assertEquals(List.of("environment variable TRIBUTARY_CONNECTIONS_JDBC_STORE_PASSWORD: matches no key of "
                        + "'connections.jdbc.store' (password is a secret: { env: NAME } or { file: PATH }, not one "
                        + "value); TRIBUTARY_CONNECTIONS_JDBC_STORE_* can override url, embedded, username, pool-size"),
                errors(ROUTES, "TRIBUTARY_CONNECTIONS_JDBC_STORE_PASSWORD", "secret"));
    }

    @Test
    void wholeListHasNoVariable() {
        assertEquals(List.of("environment variable TRIBUTARY_CAMEL_ROUTES: matches no key of the top level "
                        + "(camel-routes is a list of file paths, not one value); TRIBUTARY_* can override "
                        + "data-directory"),
                errors("", "TRIBUTARY_CAMEL_ROUTES", "routes.yaml"));
    }

    @Test
    void variablesOfOtherToolsAreIgnored() throws ConfigException {
        TributaryConfig config = withEnvironment(Map.of("TRIBUTARY_LOG_FORMAT", "json", "TRIBUTARY_API_TOKEN", "t",
                "TRIBUTARY_DB_PASSWORD", "p", "TRIBUTARY_BROKERAGE", "x")).load(ROUTES);

        assertEquals(new ConfigFiles(folder).load(ROUTES), config);
    }

    @Test
    void keyPathIsSpelledWithUnderscores() {
        assertEquals("TRIBUTARY_CONNECTIONS_KAFKA_EU_WEST_1_BOOTSTRAP_SERVERS",
                EnvOverrides.variable(List.of("connections", "kafka", "eu.west-1", "bootstrap-servers")));
    }

    @Test
    void conditionTemplateIsOverridden() throws ConfigException {
        TributaryConfig config = load(ROUTES, "TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_CONDITION", "{site} != 'test'");

        assertEquals("{site} != 'test'", config.routes().get(0).condition().orElseThrow().toString());
    }

    @Test
    void templateOfADeadLetterIsOverridden() throws ConfigException {
        TributaryConfig config = load(ROUTES.replace("retry: { max-attempts: 3 }",
                "dead-letter: { kafka: { connection: main, topic: failed } }"),
                "TRIBUTARY_ROUTES_TELEMETRY_TO_KAFKA_DEAD_LETTER_KAFKA_KEY", "{site}");

        RouteSink.Kafka deadLetter = (RouteSink.Kafka) config.routes().get(0).deadLetter().orElseThrow();
        assertEquals("{site}", deadLetter.key().map(Template::toString).orElseThrow());
    }
}
