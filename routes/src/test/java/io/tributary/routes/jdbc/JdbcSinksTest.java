package io.tributary.routes.jdbc;

import io.tributary.testsupport.net.FreePort;
import static io.tributary.routes.jdbc.Rows.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.ConnectionSettings;
import io.tributary.bridge.config.JdbcConnectionSettings;
import io.tributary.bridge.config.RouteSink.ColumnType;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.Secret;
import io.tributary.routes.spi.MappingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JDBC sinks made from their configuration, writing to H2: the embedded file database, tables, upserts, types. */
class JdbcSinksTest {

    private static final long WAIT_SECONDS = 15;

    @TempDir
    Path data;
    CamelContext context;
    JdbcSinks sinks;

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() {
        if (sinks != null) {
            sinks.close();
        }
        context.stop();
    }

    @Test
    void anEmbeddedConnectionIsAnH2FileUnderTheDataDirectoryAndCreateTableMapsEveryType() throws Exception {
        sinks = sinks(JdbcConnectionSettings.embedded("local"));
        AsyncProcessor sink = sinks.sink(new RouteSink.Jdbc("local", "readings", List.of(
                column("device", "{device}", ColumnType.TEXT),
                column("count", "{count}", ColumnType.INTEGER),
                column("total", "{total}", ColumnType.BIGINT),
                column("value", "{value}", ColumnType.DOUBLE),
                column("ok", "{ok}", ColumnType.BOOLEAN),
                column("timestamp", "{at}", ColumnType.TIMESTAMP),
                column("doc", "{doc}", ColumnType.JSON)),
                10, Duration.ofMillis(20), List.of("device"), true), Rows.HEADERS);

        Exchange written = send(sink, Map.of("device", "d1", "count", "7", "total", "5000000000", "value", "21.5",
                "ok", "true", "at", "2025-01-31T12:00:00.250Z", "doc", "{\"a\": [1, 2]}"));
        assertNull(written.getException());

        assertTrue(Files.exists(data.resolve("h2").resolve("local.mv.db")), "no H2 file under the data directory");
        String url = PoolFactory.url(JdbcConnectionSettings.embedded("local"), data);
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            // Unquoted names, as a person writes them: the sink's quoted identifiers are in H2's upper case.
            Map<String, String> types = columnTypes(connection, "READINGS");
            assertEquals(Map.of("DEVICE", "CHARACTER VARYING", "COUNT", "INTEGER", "TOTAL", "BIGINT",
                    "VALUE", "DOUBLE PRECISION", "OK", "BOOLEAN", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE",
                    "DOC", "JSON"), types);
            assertEquals(List.of("DEVICE"), primaryKey(connection, "READINGS"));
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery(
                         "SELECT device, count, total, \"VALUE\", ok, \"TIMESTAMP\", doc FROM readings")) {
                assertTrue(row.next());
                assertEquals("d1", row.getString(1));
                assertEquals(7, row.getInt(2));
                assertEquals(5_000_000_000L, row.getLong(3));
                assertEquals(21.5, row.getDouble(4));
                assertTrue(row.getBoolean(5));
                assertEquals(OffsetDateTime.of(2025, 1, 31, 12, 0, 0, 250_000_000, ZoneOffset.UTC),
                        row.getObject(6, OffsetDateTime.class));
                // A JSON value, not a JSON string holding the text.
                assertEquals("{\"a\":[1,2]}", row.getString(7));
                assertFalse(row.next());
            }
        }
    }

    @Test
    void withAnUpsertKeyARowReplacesTheRowWithTheSameKey() throws Exception {
        sinks = sinks(JdbcConnectionSettings.of("mem", memoryUrl()));
        AsyncProcessor sink = sinks.sink(new RouteSink.Jdbc("mem", "latest", List.of(
                column("site", "{site}", ColumnType.TEXT),
                column("device", "{device}", ColumnType.TEXT),
                column("temperature", "{t}", ColumnType.DOUBLE)),
                100, Duration.ofMillis(50), List.of("site", "device"), true), Rows.HEADERS);

        // Two of these rows have the same key in one batch: the later one wins.
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        sent.add(Rows.send(context, sink, Map.of("site", "s1", "device", "d1", "t", "20")));
        sent.add(Rows.send(context, sink, Map.of("site", "s1", "device", "d2", "t", "21")));
        sent.add(Rows.send(context, sink, Map.of("site", "s1", "device", "d1", "t", "22")));
        for (CompletableFuture<Exchange> done : sent) {
            assertNull(done.get(WAIT_SECONDS, TimeUnit.SECONDS).getException());
        }
        assertNull(send(sink, Map.of("site", "s2", "device", "d1", "t", "30")).getException());
        assertNull(send(sink, Map.of("site", "s1", "device", "d2", "t", "23")).getException());

        assertEquals(Map.of("s1/d1", 22.0, "s1/d2", 23.0, "s2/d1", 30.0), temperatures());
    }

    @Test
    void aValueThatDoesNotConvertFailsTheExchangeAtOnceWithAMappingError() throws Exception {
        sinks = sinks(JdbcConnectionSettings.of("mem", memoryUrl()));
        AsyncProcessor sink = sinks.sink(new RouteSink.Jdbc("mem", "latest", List.of(
                column("device", "{device}", ColumnType.TEXT),
                column("temperature", "{t}", ColumnType.DOUBLE)),
                100, Duration.ofSeconds(60), List.of(), true), Rows.HEADERS);

        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setHeader("device", "d1");
        exchange.getIn().setHeader("t", "abc");
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        boolean sync = sink.process(exchange, done::complete);
        assertTrue(sync, "a mapping error completes synchronously, on the caller's thread");
        assertEquals(Boolean.TRUE, done.getNow(null));
        assertInstanceOf(MappingException.class, exchange.getException());
        assertEquals("column temperature: 'abc' is not a number", exchange.getException().getMessage());

        Exchange missing = send(sink, Map.of("device", "d1"));
        assertInstanceOf(MappingException.class, missing.getException());
        assertEquals("column temperature: the message has no value for {t} in '{t}'",
                missing.getException().getMessage());
    }

    @Test
    void aCamelRouteThroughTheSinkCompletesAfterTheCommit() throws Exception {
        sinks = sinks(JdbcConnectionSettings.of("mem", memoryUrl()));
        AsyncProcessor sink = sinks.sink(new RouteSink.Jdbc("mem", "events", List.of(
                column("id", "{id}", ColumnType.BIGINT)),
                100, Duration.ofMillis(300), List.of(), true), Rows.HEADERS);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:events").process(sink);
            }
        });
        Exchange sent = context.createProducerTemplate().send("direct:events",
                exchange -> exchange.getIn().setHeader("id", "42"));
        assertNull(sent.getException());
        // Sent synchronously: by the time it returned, the row had been committed.
        try (Connection connection = DriverManager.getConnection(memoryUrl(), "", "");
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT id FROM events")) {
            assertTrue(row.next());
            assertEquals(42L, row.getLong(1));
        }
    }

    @Test
    void aDatabaseThatIsDownDoesNotStopTheSinkFromStartingAndFailsItsRowsWithTheReason() throws Exception {
        sinks = sinks(JdbcConnectionSettings.of("pg", "jdbc:postgresql://127.0.0.1:" + FreePort.onLoopback() + "/tributary"));
        AsyncProcessor sink = sinks.sink(new RouteSink.Jdbc("pg", "events", List.of(
                column("id", "{id}", ColumnType.BIGINT)), 100, Duration.ofMillis(10), List.of(), false), Rows.HEADERS);

        long before = System.nanoTime();
        Exchange failed = send(sink, Map.of("id", "1"));
        long took = System.nanoTime() - before;
        assertInstanceOf(JdbcWriteException.class, failed.getException());
        assertTrue(failed.getException().getMessage().startsWith("table events: "),
                failed.getException().getMessage());
        assertTrue(failed.getException().getMessage().contains("SQLSTATE 08"), failed.getException().getMessage());
        assertTrue(took < TimeUnit.SECONDS.toNanos(WAIT_SECONDS), "gave up after " + took / 1_000_000 + " ms");
    }

    @Test
    void whatTheConfigurationCannotMeanIsRefusedWhenTheSinkIsMade() {
        sinks = new JdbcSinks(new ConnectionSettings(Map.of(), Map.of(
                "mysql", JdbcConnectionSettings.of("mysql", "jdbc:mysql://db/x?password=secret"),
                "mem", JdbcConnectionSettings.of("mem", memoryUrl()),
                "locked", new JdbcConnectionSettings("locked", memoryUrl(), false, Optional.of("app"),
                        Optional.of(Secret.fromEnvironment("DB_PASSWORD")), 2))),
                data, Map.of());
        List<RouteSink.Column> columns = List.of(column("id", "{id}", ColumnType.BIGINT));

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> sinks.sink(new RouteSink.Jdbc("nope", "t", columns, 1, Duration.ZERO, List.of(), false),
                        Rows.HEADERS));
        assertEquals("no JDBC connection named 'nope'", unknown.getMessage());

        IllegalArgumentException mysql = assertThrows(IllegalArgumentException.class,
                () -> sinks.sink(new RouteSink.Jdbc("mysql", "t", columns, 1, Duration.ZERO, List.of(), false),
                        Rows.HEADERS));
        assertTrue(mysql.getMessage().contains("only H2") && mysql.getMessage().endsWith("jdbc:mysql://db/x"),
                mysql.getMessage());

        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> sinks.sink(new RouteSink.Jdbc("mem", "t", columns, 1, Duration.ZERO, List.of("device"), false),
                        Rows.HEADERS));
        assertTrue(key.getMessage().contains("upsert key device"), key.getMessage());

        IllegalStateException password = assertThrows(IllegalStateException.class,
                () -> sinks.sink(new RouteSink.Jdbc("locked", "t", columns, 1, Duration.ZERO, List.of(), false),
                        Rows.HEADERS));
        assertEquals("environment variable DB_PASSWORD is not set", password.getMessage());
    }

    @Test
    void urlsAreLoggedWithoutWhatMayHoldCredentials() {
        assertEquals("jdbc:postgresql://db:5432/tributary",
                PoolFactory.redact("jdbc:postgresql://db:5432/tributary?user=app&password=secret"));
        assertEquals("jdbc:postgresql://***@db/tributary", PoolFactory.redact("jdbc:postgresql://app:secret@db/tributary"));
        assertEquals("jdbc:h2:file:/data/h2/local", PoolFactory.redact("jdbc:h2:file:/data/h2/local;PASSWORD=x"));
    }

    private JdbcSinks sinks(JdbcConnectionSettings connection) {
        Map<String, JdbcConnectionSettings> jdbc = new LinkedHashMap<>();
        jdbc.put(connection.name(), connection);
        return new JdbcSinks(new ConnectionSettings(Map.of(), jdbc), data, Map.of());
    }

    private Exchange send(AsyncProcessor sink, Map<String, String> headers) throws Exception {
        return Rows.send(context, sink, headers).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private String memoryUrl() {
        return "jdbc:h2:mem:sinks-" + Integer.toHexString(System.identityHashCode(this)) + ";DB_CLOSE_DELAY=-1";
    }

    private Map<String, Double> temperatures() throws SQLException {
        Map<String, Double> values = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(memoryUrl(), "", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT site, device, temperature FROM latest")) {
            while (rows.next()) {
                values.put(rows.getString(1) + "/" + rows.getString(2), rows.getDouble(3));
            }
        }
        return values;
    }

    private static Map<String, String> columnTypes(Connection connection, String table) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (var statement = connection.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS"
                + " WHERE TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    types.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return types;
    }

    private static List<String> primaryKey(Connection connection, String table) throws SQLException {
        List<String> key = new ArrayList<>();
        try (ResultSet rows = connection.getMetaData().getPrimaryKeys(null, null, table)) {
            while (rows.next()) {
                key.add(rows.getString("COLUMN_NAME"));
            }
        }
        return key;
    }
}
