package io.tributary.bench.sinks;

import io.tributary.bench.load.LatencySummary;
import io.tributary.bench.load.Receipts;
import io.tributary.bench.load.RunClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One SQL run's target: a fresh table in the benchmark's PostgreSQL that Tributary's route creates and fills, one
 * row per message, {@code (publisher text, seq bigint, payload jsonb)}, in batches of a given size.
 *
 * <p>The table has no key, so that a message written twice shows as two rows (duplicates are counted, not refused).
 * Which rows went in one transaction shows in the system column {@code xmin}: that gives the batches as PostgreSQL
 * committed them.
 */
final class PostgresTable implements SinkTarget {

    /** What the probe's {@code {publisher}} is: it publishes to {@code bench/probe/telemetry}. */
    static final String PROBE = "probe";

    private final PostgresDatabase postgres;
    private final int batchSize;
    private final Duration batchTime;
    private final String table;
    private long probes;

    PostgresTable(PostgresDatabase postgres, int batchSize, Duration batchTime) {
        this.postgres = postgres;
        this.batchSize = batchSize;
        this.batchTime = batchTime;
        this.table = "bench_telemetry_b" + batchSize;
    }

    @Override
    public SinkScenario scenario() {
        return SinkScenario.SQL;
    }

    @Override
    public String id() {
        return "sql-b" + batchSize;
    }

    @Override
    public String column() {
        return column(batchSize);
    }

    /** The report's column for a batch size. */
    static String column(int batchSize) {
        return "batch " + String.format(Locale.ROOT, "%,d", batchSize);
    }

    String table() {
        return table;
    }

    /** The route of the run: the one in docs/benchmarks.md, with this run's table and batch size. */
    @Override
    public String routeConfig() {
        return routeConfig(postgres.jdbcUrl(), table, Integer.toString(batchSize), batchTime);
    }

    /** The SQL route's configuration; the report shows it with placeholders. */
    static String routeConfig(String jdbcUrl, String table, String batchSize, Duration batchTime) {
        return """
                connections:
                  jdbc:
                    store: { url: "%s", username: postgres }
                routes:
                  - name: telemetry-to-db
                    from: { mqtt: "bench/{publisher}/telemetry" }
                    to:
                      jdbc:
                        connection: store
                        table: %s
                        columns: { publisher: "{publisher}", seq: { value: "{json.seq}", type: bigint }, payload: { value: "{payload}", type: json } }
                        batch: { size: %s, time: %dms }
                        create-table: true
                """.formatted(jdbcUrl, table, batchSize, batchTime.toMillis());
    }

    /** Drops a table of the same name left by an earlier run: the route creates it afresh. */
    @Override
    public void prepare() throws SQLException {
        postgres.execute("DROP TABLE IF EXISTS " + table);
    }

    @Override
    public void useClock(RunClock clock) {
        // arrivals in a table carry no time the driver could read
    }

    /** {@code SELECT count(*)}: the rows committed when the query's snapshot was taken. */
    @Override
    public long count() throws SQLException {
        return postgres.queryLong("SELECT count(*) FROM " + table);
    }

    /** Reads {@code (publisher, seq)} of every row, with a cursor. */
    @Override
    public Receipts received(int publishers) throws SQLException {
        Receipts receipts = new Receipts(publishers);
        probes = 0;
        Connection connection = postgres.connection();
        connection.setAutoCommit(false); // a cursor, not the whole table in memory
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(10_000);
            try (ResultSet rows = statement.executeQuery("SELECT publisher, seq FROM " + table)) {
                while (rows.next()) {
                    String publisher = rows.getString(1);
                    long seq = rows.getLong(2);
                    if (PROBE.equals(publisher)) {
                        probes++;
                        continue;
                    }
                    int index = parse(publisher);
                    if (index < 0 || seq < 0 || seq > Integer.MAX_VALUE) {
                        receipts.addMalformed();
                    } else {
                        receipts.add(index, (int) seq);
                    }
                }
            }
        } finally {
            connection.commit();
            connection.setAutoCommit(true);
        }
        return receipts;
    }

    private static int parse(String publisher) {
        try {
            return publisher == null ? -1 : Integer.parseInt(publisher);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public LatencySummary arrivalLatency() {
        return LatencySummary.NONE;
    }

    @Override
    public OptionalLong cpuNanos() {
        return postgres.cpuNanos();
    }

    /** The transactions that wrote the driver's rows (one per batch), from {@code xmin}. */
    @Override
    public Map<String, String> facts() throws SQLException {
        long transactions;
        long largest;
        long rows;
        try (Statement statement = postgres.connection().createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*), coalesce(max(n), 0), coalesce(sum(n), 0) "
                     + "FROM (SELECT count(*) AS n FROM " + table + " WHERE publisher <> '" + PROBE
                     + "' GROUP BY xmin::text) AS batches")) {
            result.next();
            transactions = result.getLong(1);
            largest = result.getLong(2);
            rows = result.getLong(3);
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("transactions (batches) that wrote the rows", String.format(Locale.ROOT, "%,d", transactions));
        facts.put("rows per transaction, mean / largest", transactions == 0 ? "—"
                : String.format(Locale.ROOT, "%,.1f / %,d", (double) rows / transactions, largest));
        facts.put("probe rows (written before the run, not counted)", Long.toString(probes));
        return facts;
    }

    /** Drops the table and checkpoints, so that the next run does not pay for this one's dirty pages. */
    @Override
    public void finish() {
        try {
            postgres.execute("DROP TABLE IF EXISTS " + table);
            postgres.execute("CHECKPOINT");
        } catch (SQLException e) {
            System.err.println("[bench] could not drop " + table + ": " + e.getMessage());
        }
    }
}
