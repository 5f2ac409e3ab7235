package io.tributary.it.jdbc;

import io.tributary.testsupport.postgres.PostgresServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.tributary.testsupport.await.Await;
import io.tributary.it.support.TestTributary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes from MQTT devices into a real PostgreSQL: every acknowledged QoS 1 message is a row exactly once
 * under load, written in batches; the table is created with PostgreSQL's types and rows are upserted; a
 * message that does not fit the mapping goes to the dead-letter table with the reason, and the route goes on.
 */
class PostgresSinkTest {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSinkTest.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path data;
    static PostgresServer postgres;
    static TestTributary tributary;
    static Mqtt5AsyncClient device;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.start("sink");
        tributary = TestTributary.start(data, """
                connections:
                  jdbc:
                    pg: { url: "%s", username: postgres, pool-size: 4 }
                routes:
                  - name: load
                    from: { mqtt: "load/{publisher}" }
                    to:
                      jdbc:
                        connection: pg
                        table: telemetry
                        columns:
                          id: "{json.id}"
                          publisher: "{publisher}"
                          seq: { value: "{json.seq}", type: integer }
                          received: { value: "{timestamp}", type: timestamp }
                          body: { value: "{payload}", type: json }
                        batch: { size: 500 }           # time 0: group commit
                        create-table: true
                  - name: latest
                    from: { mqtt: "latest/{site}/{device}" }
                    to:
                      jdbc:
                        connection: pg
                        table: latest
                        columns:
                          site: "{site}"
                          device: "{device}"
                          temperature: { value: "{json.t}", type: double }
                          count: { value: "{json.n}", type: integer }
                          total: { value: "{json.total}", type: bigint }
                          ok: { value: "{json.ok}", type: boolean }
                          seen: { value: "{timestamp}", type: timestamp }
                          doc: { value: "{payload}", type: json }
                        batch: { time: 10ms }
                        upsert-key: [ site, device ]
                        create-table: true
                  - name: strict
                    from: { mqtt: "strict/{device}" }
                    to:
                      jdbc:
                        connection: pg
                        table: readings
                        columns:
                          id: "{json.id}"
                          temperature: { value: "{json.t}", type: double }
                        batch: { time: 10ms }
                        create-table: true
                    dead-letter:
                      jdbc:
                        connection: pg
                        table: dead_letters
                        columns:
                          route: "{route}"
                          topic: "{topic}"
                          error: "{error}"
                          payload: "{payload}"
                        batch: { time: 10ms }
                        create-table: true
                """.formatted(postgres.jdbcUrl()));
        device = tributary.mqtt5Async("pg-device");
    }

    @AfterAll
    static void stop() {
        try {
            if (device != null) {
                device.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
            }
            if (tributary != null) {
                tributary.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Test
    void tenThousandQos1MessagesFromFourPublishersAreRowsExactlyOnceWrittenInBatches() throws Exception {
        int publishers = 4;
        int perPublisher = 2_500;
        int expected = publishers * perPublisher;
        Qos1Publisher.Outcome outcome = new Qos1Publisher.Outcome();
        long startedAt = System.nanoTime();
        Qos1Publisher.start(tributary, "load", publishers, perPublisher, 500, "{\"id\":\"%1$s\",\"seq\":%2$d}", outcome)
                .get(180, TimeUnit.SECONDS);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);

        assertEquals(expected, outcome.acknowledged.size(), "acknowledged (" + outcome.failed + " failed)");
        // Acknowledged means committed: every row is there when the last PUBACK came.
        long rows = postgres.queryLong("SELECT count(*) FROM telemetry");
        long distinct = postgres.queryLong("SELECT count(DISTINCT id) FROM telemetry");
        long acknowledgedMissing = missing(outcome.acknowledged, "telemetry");
        List<Long> batches = batchSizes("telemetry");
        LOG.info("{} QoS 1 messages from {} publishers into PostgreSQL in {} ms ({} rows/s): {} rows, {} distinct,"
                        + " {} acknowledged but missing; {} transactions, rows per transaction min {} / avg {} / max {};"
                        + " longest PUBACK wait {} ms",
                expected, publishers, tookMillis, expected * 1000L / Math.max(1, tookMillis), rows, distinct,
                acknowledgedMissing, batches.size(), batches.get(batches.size() - 1),
                rows / Math.max(1, batches.size()), batches.get(0),
                TimeUnit.NANOSECONDS.toMillis(outcome.longestWaitNanos.get()));

        assertEquals(0, acknowledgedMissing, "acknowledged messages missing from the table");
        assertEquals(expected, rows, "rows (duplicates: " + (rows - distinct) + ")");
        assertEquals(expected, distinct);
        // Exactly once also later: no retried batch adds a copy after the last PUBACK.
        Await.holds(Duration.ofSeconds(2), "no row added after the last PUBACK",
                () -> postgres.queryLong("SELECT count(*) FROM telemetry") == expected);
        assertTrue(batches.size() < expected / 5, "written in " + batches.size() + " transactions: no batching");
        assertTrue(batches.get(0) <= 500, "a transaction larger than the batch size: " + batches.get(0));
        // The mapping of each row: the JSON payload as jsonb, the receive time as timestamptz.
        assertEquals(expected, postgres.queryLong("SELECT count(*) FROM telemetry WHERE body->>'id' = id"
                + " AND (body->>'seq')::int = seq AND publisher = split_part(id, ':', 1)"
                + " AND received BETWEEN now() - interval '10 minutes' AND now()"));
    }

    @Test
    void theTableIsCreatedWithPostgresqlTypesAndAnUpsertKeepsTheLatestRowPerKey() throws Exception {
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(1);
        publishSuccessfully("latest/s1/d1", "{\"t\": 20.5, \"n\": 1, \"total\": 5000000000, \"ok\": true}");
        publishSuccessfully("latest/s1/d2", "{\"t\": -3, \"n\": 1, \"total\": 1, \"ok\": false}");
        publishSuccessfully("latest/s1/d1", "{\"t\": 21.5, \"n\": 2, \"total\": 5000000001, \"ok\": false}");
        OffsetDateTime after = OffsetDateTime.now().plusSeconds(1);

        assertEquals(Map.of("site", "text", "device", "text", "temperature", "double precision",
                "count", "integer", "total", "bigint", "ok", "boolean", "seen", "timestamp with time zone",
                "doc", "jsonb"), columnTypes("latest"));
        assertEquals(List.of("site", "device"), primaryKey("latest"));
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT temperature, count, total, ok, seen, doc->>'n'"
                     + " FROM latest WHERE site = 's1' AND device = 'd1'")) {
            assertTrue(row.next());
            assertEquals(21.5, row.getDouble(1));
            assertEquals(2, row.getInt(2));
            assertEquals(5_000_000_001L, row.getLong(3));
            assertFalse(row.getBoolean(4));
            OffsetDateTime seen = row.getObject(5, OffsetDateTime.class);
            assertTrue(seen.isAfter(before) && seen.isBefore(after), "seen " + seen);
            assertEquals("2", row.getString(6));
            assertFalse(row.next());
        }
        assertEquals(2, postgres.queryLong("SELECT count(*) FROM latest"));
    }

    @Test
    void aMessageThatDoesNotFitTheMappingGoesToTheDeadLetterTableWithTheReasonAndTheRouteGoesOn() throws Exception {
        // Acknowledged, as the dead letter keeps them, with the reason the route could not use the payload.
        publishRefused("strict/d1", "not json");
        publishRefused("strict/d1", "{\"t\": 20}");
        publishRefused("strict/d1", "{\"id\": \"warm-one\", \"t\": \"warm\"}");
        publishSuccessfully("strict/d1", "{\"id\": \"good\", \"t\": 21.5}");

        assertEquals(1, postgres.queryLong("SELECT count(*) FROM readings WHERE id = 'good' AND temperature = 21.5"));
        assertEquals(1, postgres.queryLong("SELECT count(*) FROM readings"));
        Await.until(WAIT, "three dead letters", () -> postgres.queryLong("SELECT count(*) FROM dead_letters") == 3);
        Map<String, String> errors = new LinkedHashMap<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT payload, error, route, topic FROM dead_letters")) {
            while (rows.next()) {
                errors.put(rows.getString(1), rows.getString(2));
                assertEquals("strict", rows.getString(3));
                assertEquals("strict/d1", rows.getString(4));
            }
        }
        assertTrue(errors.get("not json").contains("not JSON"), errors.toString());
        assertTrue(errors.get("{\"t\": 20}").contains("column id: the message has no value for {json.id}"),
                errors.toString());
        assertTrue(errors.get("{\"id\": \"warm-one\", \"t\": \"warm\"}")
                .contains("column temperature: 'warm' is not a number"), errors.toString());
    }

    private static void publishRefused(String topic, String payload) throws Exception {
        assertEquals(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID, Qos1Publisher.publishOne(device, topic, payload),
                topic);
    }

    private static void publishSuccessfully(String topic, String payload) throws Exception {
        assertEquals(Mqtt5PubAckReasonCode.SUCCESS, Qos1Publisher.publishOne(device, topic, payload), topic);
    }

    /** The acknowledged ids that are not in the table. */
    private static long missing(java.util.Set<String> acknowledged, String table) throws SQLException {
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM " + table)) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return acknowledged.stream().filter(id -> !ids.contains(id)).count();
    }

    /**
     * The rows each transaction wrote, largest first: PostgreSQL's {@code xmin} is the id of the transaction
     * that inserted a row.
     */
    static List<Long> batchSizes(String table) throws SQLException {
        List<Long> sizes = new ArrayList<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table
                     + " GROUP BY xmin::text ORDER BY count(*) DESC")) {
            while (rows.next()) {
                sizes.add(rows.getLong(1));
            }
        }
        return sizes;
    }

    private static Map<String, String> columnTypes(String table) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection connection = postgres.connect();
             var statement = connection.prepareStatement("SELECT column_name, data_type FROM information_schema.columns"
                     + " WHERE table_name = ? ORDER BY ordinal_position")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    types.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return types;
    }

    private static List<String> primaryKey(String table) throws SQLException {
        // Listed by column name: put back in key order.
        java.util.TreeMap<Integer, String> key = new java.util.TreeMap<>();
        try (Connection connection = postgres.connect();
             ResultSet rows = connection.getMetaData().getPrimaryKeys(null, null, table)) {
            while (rows.next()) {
                key.put(rows.getInt("KEY_SEQ"), rows.getString("COLUMN_NAME"));
            }
        }
        return List.copyOf(key.values());
    }
}
