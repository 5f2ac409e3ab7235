package io.tributary.bench.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bench.load.Receipts;
import io.tributary.testsupport.files.Directories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A real PostgreSQL, started and stopped as the benchmark does, and a table read the way a SQL run reads it. */
class PostgresTableTest {

    /** Under target/, which the server's user (nobody, when the tests run as root) can reach. */
    private static final Path WORK = Path.of("target", "bench-test");

    @Test
    void startsCountsBatchesByTransactionAndStopsByItsPid() throws Exception {
        Path workDir = WORK.resolve("postgres-" + System.nanoTime());
        Path pidFile = workDir.resolve("postgres.pid");
        PostgresDatabase postgres = PostgresDatabase.start(WORK.resolve("postgres-binaries"), workDir, pidFile);
        long pid = postgres.pid();
        try {
            assertEquals(Long.toString(pid), Files.readString(pidFile).trim());
            assertTrue(postgres.describe().startsWith("PostgreSQL 14."), postgres.describe());
            PostgresTable table = new PostgresTable(postgres, 500, Duration.ofMillis(20));
            assertTrue(table.routeConfig().contains("batch: { size: 500, time: 20ms }"), table.routeConfig());
            table.prepare();
            // What the route's create-table makes, then three transactions: one of them a probe.
            postgres.execute("CREATE TABLE " + table.table() + " (publisher text, seq bigint, payload jsonb)");
            Connection connection = postgres.connection();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO " + table.table() + " VALUES ('probe', 0, '{}')");
                connection.commit();
                statement.execute("INSERT INTO " + table.table() + " VALUES ('0', 0, '{}'), ('0', 1, '{}'), "
                        + "('1', 0, '{}')");
                connection.commit();
                statement.execute("INSERT INTO " + table.table() + " VALUES ('0', 1, '{}'), ('x', 5, '{}')");
                connection.commit();
            } finally {
                connection.setAutoCommit(true);
            }

            assertEquals(6, table.count());
            Receipts received = table.received(2);
            assertEquals(3, received.unique());
            assertEquals(1, received.duplicates());
            assertEquals(1, received.malformed());
            Map<String, String> facts = table.facts();
            assertEquals("2", facts.get("transactions (batches) that wrote the rows"));
            assertEquals("2.5 / 3", facts.get("rows per transaction, mean / largest"));
            assertEquals("1", facts.get("probe rows (written before the run, not counted)"));
            assertTrue(postgres.cpuNanos().isPresent());
            table.finish();
            assertEquals(0, postgres.queryLong("SELECT count(*) FROM pg_tables WHERE tablename = '"
                    + table.table() + "'"));
        } finally {
            postgres.close();
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "stopped by its PID");
        assertFalse(Files.exists(pidFile));
        assertFalse(Files.exists(workDir.resolve("data")), "its data is deleted");
        Directories.deleteRecursively(workDir);
    }
}
