package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionsSectionTest.at;
import static io.tributary.bridge.config.ConnectionsSectionTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcSinkSectionTest {

    private static final String STORE = "connections: { jdbc: { store: { url: \"jdbc:postgresql://db/t\" } } }\n";

    private static final String EXAMPLE = STORE + """
            routes:
              - name: telemetry-to-db
                from: { mqtt: "sites/{site}/devices/{device}/telemetry" }
                to:
                  jdbc:
                    connection: store
                    table: telemetry
                    columns:
                      site: "{site}"
                      device: "{device}"
                      temperature: { value: "{json.temp}", type: double }
                      received: { value: "{timestamp}", type: timestamp }
                      payload: { value: "{payload}", type: json }
                    batch: { size: 500, time: 1s }
                    upsert-key: [ site, device ]
                    create-table: true
            """;

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
    }

    @Test
    void everySinkKeyIsRead() throws ConfigException {
        RouteSink.Jdbc jdbc = (RouteSink.Jdbc) files.load(EXAMPLE).routes().get(0).to();

        assertEquals(List.of("store", "telemetry", 500, Duration.ofSeconds(1), List.of("site", "device"), true),
                List.of(jdbc.connection(), jdbc.table(), jdbc.batchSize(), jdbc.batchTime(), jdbc.upsertKey(),
                        jdbc.createTable()));
    }

    @Test
    void columnsKeepTheirOrderValuesAndTypes() throws ConfigException {
        RouteSink.Jdbc jdbc = (RouteSink.Jdbc) files.load(EXAMPLE).routes().get(0).to();

        assertEquals(List.of("site {site} TEXT", "device {device} TEXT", "temperature {json.temp} DOUBLE",
                "received {timestamp} TIMESTAMP", "payload {payload} JSON"), describe(jdbc));
    }

    @Test
    void sinkKeysLeftOutTakeTheirDefaults() throws ConfigException {
        RouteSink.Jdbc jdbc = sink("{ connection: store, table: t, columns: { topic: \"{topic}\" } }");

        assertEquals(List.of(100, Duration.ZERO, List.of(), false),
                List.of(jdbc.batchSize(), jdbc.batchTime(), jdbc.upsertKey(), jdbc.createTable()));
    }

    @Test
    void batchKeyLeftOutTakesItsDefault() throws ConfigException {
        RouteSink.Jdbc jdbc = sink("{ connection: store, table: t, columns: { a: \"{topic}\" }, batch: { size: 1 } }");

        assertEquals(List.of(1, Duration.ZERO), List.of(jdbc.batchSize(), jdbc.batchTime()));
    }

    @Test
    void columnMappingWithoutTypeIsText() throws ConfigException {
        RouteSink.Jdbc jdbc = sink("{ connection: store, table: t, columns: { a: { value: \"{topic}\" } } }");

        assertEquals(List.of("a {topic} TEXT"), describe(jdbc));
    }

    @Test
    void sqlRowMayBeTheDeadLetter() throws ConfigException {
        RouteSettings route = files.load(STORE + """
                routes:
                  - name: r
                    from: { mqtt: "a/{x}" }
                    to: { mqtt: { topic: "b/{x}" } }
                    dead-letter: { jdbc: { connection: store, table: failed, columns: { why: "{error}" } } }
                """).routes().get(0);

        assertEquals(List.of("why {error} TEXT"), describe((RouteSink.Jdbc) route.deadLetter().orElseThrow()));
    }

    @Test
    void unknownJdbcConnectionListsTheKnownOnes() {
        ConfigError error = only(errors("{ connection: stor, table: t, columns: { a: \"{topic}\" } }"));

        assertEquals("5:31: routes[0].to.jdbc.connection: unknown connection 'stor' (did you mean 'store'?); known "
                + "JDBC connections: store", at(error));
    }

    @Test
    void jdbcConnectionWithoutAnyDeclaredSaysSo() {
        ConfigError error = only(files.errors("""
                connections: { kafka: { store: embedded } }
                routes:
                  - name: r
                    from: { mqtt: "a" }
                    to: { jdbc: { connection: store, table: t, columns: { a: "{topic}" } } }
                """));

        assertEquals("5:31: routes[0].to.jdbc.connection: unknown connection 'store'; no JDBC connection is declared "
                + "under connections.jdbc", at(error));
    }

    @Test
    void brokenJdbcConnectionIsOneErrorNotOneMorePerRoute() {
        ConfigError error = only(files.errors("""
                connections: { jdbc: { store: { url: "postgresql://db/t" } } }
                routes:
                  - name: r
                    from: { mqtt: "a" }
                    to: { jdbc: { connection: store, table: t, columns: { a: "{topic}" } } }
                """));

        assertEquals("connections.jdbc.store.url", error.path());
    }

    @Test
    void tableThatIsNotAPlainSqlNameIsAnError() {
        ConfigError error = only(errors("{ connection: store, table: telemetry-data, columns: { a: \"{topic}\" } }"));

        assertEquals("5:45: routes[0].to.jdbc.table: expected a SQL name of letters, digits and '_', not starting "
                + "with a digit, at most 63 characters, got 'telemetry-data'", at(error));
    }

    @Test
    void columnThatIsNotAPlainSqlNameIsAnError() {
        ConfigError error = only(errors("{ connection: store, table: t, columns: { 1st: \"{topic}\" } }"));

        assertEquals("5:59: routes[0].to.jdbc.columns.1st: expected a SQL name of letters, digits and '_', not "
                + "starting with a digit, at most 63 characters, got '1st'", at(error));
    }

    @Test
    void columnsDifferingOnlyInCaseAreAnError() {
        ConfigError error = only(errors("{ connection: store, table: t, columns: { site: \"{topic}\", Site: "
                + "\"{qos}\" } }"));

        assertEquals("5:76: routes[0].to.jdbc.columns.Site: column 'Site' is the same SQL name as 'site' (line 5): "
                + "SQL ignores case", at(error));
    }

    @Test
    void noColumnsIsAnError() {
        ConfigError error = only(errors("{ connection: store, table: t, columns: {} }"));

        assertEquals("5:57: routes[0].to.jdbc.columns: expected at least one column, got none", at(error));
    }

    @Test
    void missingColumnsIsAnError() {
        ConfigError error = only(errors("{ connection: store, table: t }"));

        assertEquals("5:17: routes[0].to.jdbc.columns: missing; expected a mapping of column names to templates or "
                + "to mappings with the keys value, type", at(error));
    }

    @Test
    void unknownColumnTypeIsAnError() {
        ConfigError error = only(errors("{ connection: store, table: t, columns: { t: { value: \"{topic}\", type: "
                + "float } } }"));

        assertEquals("5:88: routes[0].to.jdbc.columns.t.type: expected one of text, integer, bigint, double, "
                + "boolean, timestamp, json, got 'float'", at(error));
    }

    @Test
    void columnMappingWithoutValueIsAnError() {
        ConfigError error = only(errors("{ connection: store, table: t, columns: { t: { type: double } } }"));

        assertEquals("5:62: routes[0].to.jdbc.columns.t.value: missing; expected a template", at(error));
    }

    @Test
    void unquotedColumnTemplateIsExplained() {
        ConfigError error = only(errors("{ connection: store, table: t, columns: { device: {device} } }"));

        assertEquals("5:67: routes[0].to.jdbc.columns.device: expected a template, got a mapping: YAML reads a value "
                + "that starts with '{' as a mapping, so quote it, as in \"{device}\"", at(error));
    }

    @Test
    void upsertKeyThatIsNotAColumnIsAnError() {
        ConfigError error = only(errors("{ connection: store, table: t, columns: { site: \"{device}\", device: "
                + "\"{device}\" }, upsert-key: [ site, devise ] }"));

        assertEquals("5:119: routes[0].to.jdbc.upsert-key[1]: 'devise' is not a column (did you mean 'device'?); "
                + "columns: site, device", at(error));
    }

    @Test
    void upsertKeyColumnGivenTwiceIsAnError() {
        ConfigError error = only(errors("{ connection: store, table: t, columns: { site: \"{device}\" }, "
                + "upsert-key: [ site, site ] }"));

        assertEquals("5:99: routes[0].to.jdbc.upsert-key[1]: 'site' is already in the upsert key", at(error));
    }

    @Test
    void columnVariablesAreCheckedAgainstTheSource() {
        ConfigError error = only(errors("{ connection: store, table: t, columns: { at: \"{timestmp}\" } }"));

        assertEquals("5:63: routes[0].to.jdbc.columns.at: unknown variable {timestmp} (did you mean {timestamp}?); "
                + "known: device, topic, client-id, qos, header.*, json.*, timestamp, payload", at(error));
    }

    @Test
    void everyErrorOfTheSinkIsReportedInOneLoad() {
        List<ConfigError> errors = errors("{ connection: other, table: 1t, columns: { a: { value: \"{x}\", "
                + "type: real } }, batch: { size: 0 }, create-table: yes }");

        assertEquals(List.of("routes[0].to.jdbc.connection", "routes[0].to.jdbc.table",
                "routes[0].to.jdbc.columns.a.value", "routes[0].to.jdbc.columns.a.type",
                "routes[0].to.jdbc.batch.size", "routes[0].to.jdbc.create-table"),
                errors.stream().map(ConfigError::path).toList());
    }

    private RouteSink.Jdbc sink(String jdbc) throws ConfigException {
        return (RouteSink.Jdbc) files.load(route(jdbc)).routes().get(0).to();
    }

    private List<ConfigError> errors(String jdbc) {
        return files.errors(route(jdbc));
    }

    /** A route from {@code devices/{device}} to {@code jdbc}, with the connection {@code store} declared. */
    private static String route(String jdbc) {
        return STORE + """
                routes:
                  - name: r
                    from: { mqtt: "devices/{device}" }
                    to: { jdbc: %s }
                """.formatted(jdbc);
    }

    /** Each column as {@code NAME TEMPLATE TYPE} (templates have no equality). */
    private static List<String> describe(RouteSink.Jdbc jdbc) {
        return jdbc.columns().stream().map(c -> c.name() + " " + c.value() + " " + c.type()).toList();
    }
}
