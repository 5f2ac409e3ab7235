package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionsSectionTest {

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
    }

    @Test
    void externalConnectionIsReadWithItsProperties() throws ConfigException {
        TributaryConfig config = files.load("""
                connections:
                  kafka:
                    main:
                      bootstrap-servers: "kafka-1:9092, kafka-2:9092"
                      properties:
                        security.protocol: SSL
                        linger.ms: 5
                """);

        assertEquals(Map.of("main", new KafkaConnectionSettings("main", "kafka-1:9092, kafka-2:9092", false, 0,
                        Map.of("security.protocol", "SSL", "linger.ms", "5"))),
                config.connections().kafka());
    }

    @Test
    void producerSettingsAreReadAndDefaultWhenAbsent() throws ConfigException {
        TributaryConfig config = files.load("""
                connections:
                  kafka:
                    tuned: { bootstrap-servers: "k:9092", linger: 3ms, batch-size: 131072, compression: lz4,
                             max-in-flight: 2 }
                    plain: { bootstrap-servers: "k:9092" }
                """);

        assertEquals(new KafkaProducerSettings(java.time.Duration.ofMillis(3), 131_072, KafkaCompression.LZ4, 2),
                config.connections().kafka("tuned").orElseThrow().producer());
        assertEquals(KafkaProducerSettings.DEFAULTS, config.connections().kafka("plain").orElseThrow().producer());
    }

    @Test
    void producerKeyAndItsPropertyTogetherAreAnError() {
        ConfigError error = only(files.errors("""
                connections:
                  kafka:
                    main: { bootstrap-servers: "k:9092", linger: 2ms, properties: { linger.ms: 5 } }
                """));

        assertTrue(at(error).contains("expected linger or properties.linger.ms, got both"), at(error));
    }

    @Test
    void maxInFlightAboveWhatIdempotenceAllowsIsAnError() {
        ConfigError error = only(files.errors("""
                connections:
                  kafka:
                    main: { bootstrap-servers: "k:9092", max-in-flight: 6 }
                """));

        assertTrue(at(error).contains("max-in-flight"), at(error));
    }

    @Test
    void embeddedShorthandIsAnEmbeddedConnectionOnTheDefaultPort() throws ConfigException {
        TributaryConfig config = files.load("connections: { kafka: { main: embedded } }");

        assertEquals(KafkaConnectionSettings.embedded("main", 9092), config.connections().kafka("main").orElseThrow());
    }

    @Test
    void embeddedConnectionMayChooseItsPort() throws ConfigException {
        TributaryConfig config = files.load("connections: { kafka: { local: { embedded: true, port: 0 } } }");

        assertEquals(KafkaConnectionSettings.embedded("local", 0), config.connections().kafka("local").orElseThrow());
    }

    @Test
    void connectionsKeepTheirFileOrder() throws ConfigException {
        TributaryConfig config = files.load("""
                connections:
                  kafka:
                    zeta: { bootstrap-servers: "z:9092" }
                    alpha: { bootstrap-servers: "a:9092" }
                """);

        assertEquals(List.of("zeta", "alpha"), List.copyOf(config.connections().kafka().keySet()));
    }

    @Test
    void bothBootstrapServersAndEmbeddedIsAnError() {
        ConfigError error = only(files.errors("""
                connections:
                  kafka:
                    main: { bootstrap-servers: "k:9092", embedded: true }
                """));

        assertEquals("3:11: connections.kafka.main: expected either bootstrap-servers or embedded: true, got both",
                at(error));
    }

    @Test
    void neitherBootstrapServersNorEmbeddedIsAnError() {
        ConfigError error = only(files.errors("""
                connections:
                  kafka:
                    main: { properties: { linger.ms: 5 } }
                """));

        assertEquals("3:11: connections.kafka.main: expected bootstrap-servers for an external Kafka or "
                + "embedded: true for one that Tributary runs, got neither", at(error));
    }

    @Test
    void portWithoutEmbeddedIsAnError() {
        ConfigError error = only(files.errors("""
                connections:
                  kafka:
                    main: { bootstrap-servers: "k:9092", port: 9093 }
                """));

        assertEquals("3:48: connections.kafka.main.port: port is only for an embedded Kafka; an external one is "
                + "reached through bootstrap-servers", at(error));
    }

    @Test
    void secondEmbeddedConnectionIsAnError() {
        ConfigError error = only(files.errors("""
                connections:
                  kafka:
                    first: embedded
                    second: { embedded: true, port: 0 }
                """));

        assertEquals("4:13: connections.kafka.second: only one Kafka connection can be embedded, and "
                + "connections.kafka.first (line 3) already is", at(error));
    }

    @Test
    void shorthandOtherThanEmbeddedIsAnError() {
        ConfigError error = only(files.errors("connections: { kafka: { main: external } }"));

        assertEquals("1:31: connections.kafka.main: expected a mapping with the keys bootstrap-servers, embedded, "
                + "port, linger, batch-size, compression, max-in-flight, properties, or embedded, got 'external'",
                at(error));
    }

    @Test
    void malformedBootstrapServersAreAnError() {
        ConfigError error = only(files.errors("""
                connections:
                  kafka:
                    main: { bootstrap-servers: "kafka-1" }
                """));

        assertEquals("3:32: connections.kafka.main.bootstrap-servers: expected host:port, or several separated by "
                + "commas, got 'kafka-1'", at(error));
    }

    @Test
    void connectionNameMustBeAName() {
        ConfigError error = only(files.errors("connections: { kafka: { \"my kafka\": embedded } }"));

        assertEquals("1:25: connections.kafka.my kafka: expected a name of letters, digits, '.', '_' or '-', "
                + "got 'my kafka'", at(error));
    }

    @Test
    void bootstrapServersPropertyIsAnErrorPointingToTheKey() {
        ConfigError error = only(files.errors("""
                connections:
                  kafka:
                    main:
                      bootstrap-servers: "k:9092"
                      properties: { bootstrap.servers: "other:9092" }
                """));

        assertEquals("5:21: connections.kafka.main.properties.bootstrap.servers: give the servers as "
                + "bootstrap-servers of the connection, not as a property", at(error));
    }

    @Test
    void propertyTheGuaranteeRestsOnIsRefusedNamingItAndWhy() {
        ConfigError error = only(files.errors("""
                connections:
                  kafka:
                    main:
                      bootstrap-servers: "k:9092"
                      properties:
                        linger.ms: 5
                        acks: 1
                """));

        assertEquals("7:9: connections.kafka.main.properties.acks: acks cannot be set here: Tributary sets acks=all "
                + "itself, so that a device is acknowledged only once every in-sync replica has its message",
                at(error));
    }

    @Test
    void everyRefusedPropertyIsReportedWithItsFileAndLine() {
        List<ConfigError> errors = files.errors("""
                connections:
                  kafka:
                    main:
                      bootstrap-servers: "k:9092"
                      properties:
                        enable.idempotence: false
                        enable.auto.commit: true
                        transactional.id: t1
                        group.id: shared
                        auto.offset.reset: latest
                """);

        assertEquals(List.of(
                "6:9: connections.kafka.main.properties.enable.idempotence: enable.idempotence cannot be set here: "
                        + "Tributary turns idempotence on itself, so that the producer's own retries never write "
                        + "a record twice",
                "7:9: connections.kafka.main.properties.enable.auto.commit: enable.auto.commit cannot be set here: "
                        + "Tributary commits a route's offsets itself, after the records were delivered; "
                        + "auto-commit would commit records not yet delivered",
                "8:9: connections.kafka.main.properties.transactional.id: transactional.id cannot be set here: "
                        + "Tributary writes with an idempotent producer and acknowledges each record on its own; "
                        + "Camel's per-message Kafka transactions are not part of that guarantee",
                "9:9: connections.kafka.main.properties.group.id: group.id cannot be set here: each route reads in "
                        + "the consumer group of its source (from.kafka.group); one group for the whole "
                        + "connection would split a topic's records between routes",
                "10:9: connections.kafka.main.properties.auto.offset.reset: auto.offset.reset cannot be set here: "
                        + "a route whose group has no committed offset starts at the earliest record, so that "
                        + "nothing written before it first ran or after its offsets expired is skipped"),
                errors.stream().map(ConnectionsSectionTest::at).toList());
        assertTrue(errors.stream().allMatch(e -> e.file().endsWith("tributary.yaml")), errors::toString);
    }

    @Test
    void moreRequestsInFlightThanIdempotenceAllowsIsRefused() {
        ConfigError error = only(files.errors("""
                connections:
                  kafka:
                    main:
                      bootstrap-servers: "k:9092"
                      properties: { max.in.flight.requests.per.connection: 6 }
                """));

        assertEquals("5:60: connections.kafka.main.properties.max.in.flight.requests.per.connection: expected 1-5, "
                + "got '6': Tributary's producers are idempotent, and Kafka allows an idempotent producer at most "
                + "5 requests in flight", at(error));
    }

    @Test
    void zeroRetriesIsRefused() {
        ConfigError error = only(files.errors("""
                connections:
                  kafka:
                    main:
                      bootstrap-servers: "k:9092"
                      properties: { retries: 0 }
                """));

        assertEquals("5:30: connections.kafka.main.properties.retries: expected at least 1, got '0': Tributary's "
                + "producers are idempotent, and Kafka's idempotent producer needs retries", at(error));
    }

    @Test
    void settingsWithinWhatTheGuaranteeAllowsAreKept() throws ConfigException {
        TributaryConfig config = files.load("""
                connections:
                  kafka:
                    main:
                      bootstrap-servers: "k:9092"
                      properties:
                        max.in.flight.requests.per.connection: 5
                        retries: 10
                        isolation.level: read_committed
                """);

        assertEquals(Map.of("max.in.flight.requests.per.connection", "5", "retries", "10",
                "isolation.level", "read_committed"), config.connections().kafka().get("main").properties());
    }

    @Test
    void refusedValueFromAnEnvironmentVariableNamesTheVariable() {
        String variable = "TRIBUTARY_CONNECTIONS_KAFKA_MAIN_PROPERTIES_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION";
        ConfigError error = only(files.withEnvironment(Map.of(variable, "10")).errors("""
                connections:
                  kafka:
                    main: { bootstrap-servers: "k:9092", properties: { max.in.flight.requests.per.connection: 5 } }
                """));

        assertEquals("environment variable " + variable, error.file());
        assertTrue(error.message().startsWith("expected 1-5, got '10'"), error::render);
    }

    @Test
    void propertyValueMustBeASingleValue() {
        ConfigError error = only(files.errors("""
                connections:
                  kafka:
                    main:
                      bootstrap-servers: "k:9092"
                      properties: { sasl: { mechanism: PLAIN } }
                """));

        assertEquals("5:27: connections.kafka.main.properties.sasl: expected a single value (text, number or "
                + "true/false), got a mapping", at(error));
    }

    @Test
    void unknownKeyInAConnectionSuggestsTheClosest() {
        ConfigError error = only(files.errors("connections: { kafka: { main: { embedded: true, prot: 0 } } }"));

        assertEquals("1:49: connections.kafka.main.prot: unknown key 'prot' (did you mean 'port'?); allowed keys: "
                + "bootstrap-servers, embedded, port, linger, batch-size, compression, max-in-flight, properties", at(error));
    }

    @Test
    void unknownConnectionKindListsTheKinds() {
        ConfigError error = only(files.errors("connections: { kafak: {} }"));

        assertEquals("1:16: connections.kafak: unknown key 'kafak' (did you mean 'kafka'?); allowed keys: kafka, "
                + "jdbc, mqtt",
                at(error));
    }

    @Test
    void jdbcConnectionIsReadWithItsCredentials() throws ConfigException {
        TributaryConfig config = files.load("""
                connections:
                  jdbc:
                    store:
                      url: "jdbc:postgresql://127.0.0.1:5432/tributary"
                      username: tributary
                      password: { env: PGPASSWORD }
                      pool-size: 8
                """);

        assertEquals(Map.of("store", new JdbcConnectionSettings("store", "jdbc:postgresql://127.0.0.1:5432/tributary",
                        false, Optional.of("tributary"), Optional.of(Secret.fromEnvironment("PGPASSWORD")), 8)),
                config.connections().jdbc());
    }

    @Test
    void jdbcConnectionKeysLeftOutTakeTheirDefaults() throws ConfigException {
        TributaryConfig config = files.load("connections: { jdbc: { store: { url: \"jdbc:h2:mem:test\" } } }");

        assertEquals(JdbcConnectionSettings.of("store", "jdbc:h2:mem:test"),
                config.connections().jdbc("store").orElseThrow());
    }

    @Test
    void jdbcEmbeddedShorthandIsAnH2Database() throws ConfigException {
        TributaryConfig config = files.load("connections: { jdbc: { local: embedded } }");

        assertEquals(JdbcConnectionSettings.embedded("local"), config.connections().jdbc("local").orElseThrow());
    }

    @Test
    void severalJdbcConnectionsMayBeEmbedded() throws ConfigException {
        TributaryConfig config = files.load("connections: { jdbc: { a: embedded, b: { embedded: true } } }");

        assertEquals(List.of(JdbcConnectionSettings.embedded("a"), JdbcConnectionSettings.embedded("b")),
                List.copyOf(config.connections().jdbc().values()));
    }

    @Test
    void jdbcPasswordFileIsResolvedAgainstTheConfigurationFolder() throws ConfigException {
        files.write("pg-password", "hunter2\n");

        TributaryConfig config = files.load("""
                connections:
                  jdbc:
                    store: { url: "jdbc:postgresql://db/t", username: u, password: { file: pg-password } }
                """);

        assertEquals(Optional.of(Secret.fromFile(folder.resolve("pg-password").toAbsolutePath())),
                config.connections().jdbc("store").orElseThrow().password());
    }

    @Test
    void inlinePasswordIsRefused() {
        ConfigError error = only(files.errors("""
                connections:
                  jdbc:
                    store: { url: "jdbc:postgresql://db/t", username: u, password: hunter2 }
                """));

        assertEquals("3:68: connections.jdbc.store.password: a secret is never written in the configuration: use "
                + "{ env: NAME } or { file: PATH }", at(error));
    }

    @Test
    void passwordInTheUrlIsRefused() {
        ConfigError error = only(files.errors("""
                connections:
                  jdbc:
                    store: { url: "jdbc:postgresql://db/t?user=u&password=hunter2" }
                """));

        assertEquals("3:19: connections.jdbc.store.url: a secret is never written in the configuration: give the "
                + "password as password: { env: NAME } or { file: PATH }", at(error));
    }

    @Test
    void missingPasswordFileIsAnError() {
        ConfigError error = only(files.errors("""
                connections:
                  jdbc:
                    store:
                      url: "jdbc:postgresql://db/t"
                      password: { file: secrets/pg-password }
                """));

        assertEquals("5:25: connections.jdbc.store.password.file: no such file: "
                + folder.resolve("secrets/pg-password").toAbsolutePath(), at(error));
    }

    @Test
    void secretWithBothEnvAndFileIsAnError() {
        ConfigError error = only(files.errors("""
                connections:
                  jdbc:
                    store: { url: "jdbc:postgresql://db/t", password: { env: P, file: p.txt } }
                """));

        assertEquals("3:55: connections.jdbc.store.password: expected exactly one of the keys env, file, got env "
                + "and file", at(error));
    }

    @Test
    void secretEnvironmentVariableMustBeAVariableName() {
        ConfigError error = only(files.errors("""
                connections:
                  jdbc:
                    store: { url: "jdbc:postgresql://db/t", password: { env: "PG-PASSWORD" } }
                """));

        assertEquals("3:62: connections.jdbc.store.password.env: expected an environment variable name of letters, "
                + "digits and '_', not starting with a digit, got 'PG-PASSWORD'", at(error));
    }

    @Test
    void bothUrlAndEmbeddedIsAnError() {
        ConfigError error = only(files.errors("""
                connections:
                  jdbc:
                    store: { url: "jdbc:postgresql://db/t", embedded: true }
                """));

        assertEquals("3:12: connections.jdbc.store: expected either url or embedded: true, got both", at(error));
    }

    @Test
    void neitherUrlNorEmbeddedIsAnError() {
        ConfigError error = only(files.errors("connections: { jdbc: { store: { pool-size: 2 } } }"));

        assertEquals("1:31: connections.jdbc.store: expected url for a database Tributary connects to or "
                + "embedded: true for an H2 database that it keeps, got neither", at(error));
    }

    @Test
    void urlNotStartingWithJdbcIsAnError() {
        ConfigError error = only(files.errors("""
                connections:
                  jdbc:
                    store: { url: "postgresql://db:5432/t" }
                """));

        assertEquals("3:19: connections.jdbc.store.url: expected a JDBC URL starting with jdbc:, got "
                + "'postgresql://db:5432/t'", at(error));
    }

    @Test
    void credentialsOfAnEmbeddedDatabaseAreAnError() {
        ConfigError error = only(files.errors("connections: { jdbc: { local: { embedded: true, username: sa } } }"));

        assertEquals("1:59: connections.jdbc.local.username: username is only for a database reached by url; an "
                + "embedded one needs none", at(error));
    }

    @Test
    void poolSizeAbove64IsAnError() {
        ConfigError error = only(files.errors("connections: { jdbc: { local: { embedded: true, pool-size: 100 } } }"));

        assertEquals("1:60: connections.jdbc.local.pool-size: expected an integer 1-64, got '100'", at(error));
    }

    @Test
    void jdbcShorthandOtherThanEmbeddedIsAnError() {
        ConfigError error = only(files.errors("connections: { jdbc: { local: h2 } }"));

        assertEquals("1:31: connections.jdbc.local: expected a mapping with the keys url, embedded, username, "
                + "password, pool-size, or embedded, got 'h2'", at(error));
    }

    static ConfigError only(List<ConfigError> errors) {
        assertEquals(1, errors.size(), () -> "expected one error, got " + errors);
        return errors.get(0);
    }

    /** {@code LINE:COL: path: message}, the rendered error without its file. */
    static String at(ConfigError error) {
        return error.line() + ":" + error.column() + ": " + (error.path().isEmpty() ? "" : error.path() + ": ")
                + error.message();
    }
}
