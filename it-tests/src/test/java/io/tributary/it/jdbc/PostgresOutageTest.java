package io.tributary.it.jdbc;

import io.tributary.testsupport.postgres.PostgresServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testsupport.await.Await;
import io.tributary.it.support.TestTributary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL stopped, or crashed (an immediate shutdown: no checkpoint, recovery from the write-ahead log), while
 * devices publish at QoS 1 into it, then started again on the same data: the batches written meanwhile fail, the
 * route retries them, the devices' PUBACKs wait (none arrives and none fails while the database is away), and
 * once it is back the pool connects again; every message that got a PUBACK is in the table.
 */
class PostgresOutageTest {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresOutageTest.class);
    private static final Duration DOWN_FOR = Duration.ofSeconds(8);
    private static final Duration CRASHED_FOR = Duration.ofSeconds(3);

    @TempDir
    static Path data;
    static PostgresServer postgres;
    static TestTributary tributary;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.start("outage");
        tributary = TestTributary.start(data, """
                connections:
                  jdbc:
                    pg: { url: "%s", username: postgres }
                routes:
                  - name: outage
                    from: { mqtt: "outage/{publisher}" }
                    to:
                      jdbc:
                        connection: pg
                        table: telemetry
                        columns:
                          id: "{json.id}"
                          seq: { value: "{json.seq}", type: integer }
                        batch: { size: 200, time: 20ms }
                        create-table: true
                    retry: { max-attempts: 40, initial-backoff: 200ms, max-backoff: 2s }
                  - name: crash
                    from: { mqtt: "crash/{publisher}" }
                    to:
                      jdbc:
                        connection: pg
                        table: crashed
                        columns:
                          id: "{json.id}"
                          seq: { value: "{json.seq}", type: integer }
                        batch: { size: 200, time: 20ms }
                        create-table: true
                    retry: { max-attempts: 40, initial-backoff: 200ms, max-backoff: 2s }
                """.formatted(postgres.jdbcUrl()));
    }

    @AfterAll
    static void stop() {
        try {
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
    void everyAcknowledgedQos1MessageIsInTheTableAfterPostgresqlWasStoppedAndStartedAgain() throws Exception {
        outage("outage", "telemetry", 5_000, postgres::stop, "stopped", DOWN_FOR);
    }

    @Test
    void everyAcknowledgedQos1MessageIsInTheTableAfterPostgresqlCrashed() throws Exception {
        outage("crash", "crashed", 4_000, postgres::crash, "crashed", CRASHED_FOR);
    }

    /**
     * Publishes from two devices to {@code prefix/...}, routed to {@code table}; after 3,000 PUBACKs takes the
     * database {@code down} for {@code downFor}, then starts it again, and checks the table.
     */
    private static void outage(String prefix, String table, int perPublisher, Runnable down, String how,
                               Duration downFor) throws Exception {
        int publishers = 2;
        Qos1Publisher.Outcome outcome = new Qos1Publisher.Outcome();
        long startedAt = System.nanoTime();
        CompletableFuture<Void> done = Qos1Publisher.start(tributary, prefix, publishers, perPublisher, 100,
                "{\"id\":\"%1$s\",\"seq\":%2$d}", outcome);

        Await.until(Duration.ofSeconds(60), "3,000 PUBACKs before PostgreSQL is " + how,
                () -> outcome.acknowledged.size() >= 3_000);
        down.run();
        long stoppedAt = System.nanoTime();
        // The PUBACKs of batches committed just before may still be on their way.
        int ackedAtStop = settled(outcome.acknowledged::size);
        Await.holds(downFor, "no PUBACK, and no failed one, while PostgreSQL is " + how,
                () -> outcome.acknowledged.size() == ackedAtStop && outcome.failed.get() == 0);
        postgres.start();
        long restartedAt = System.nanoTime();
        done.get(180, TimeUnit.SECONDS);
        long finishedAt = System.nanoTime();

        Map<String, Integer> copies = new HashMap<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM " + table)) {
            while (rows.next()) {
                copies.merge(rows.getString(1), 1, Integer::sum);
            }
        }
        List<String> missing = outcome.acknowledged.stream().filter(id -> !copies.containsKey(id)).sorted().toList();
        List<String> duplicated = copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .sorted().toList();
        LOG.info("PostgreSQL {} after {} PUBACKs, down {} ms, back {} ms before the last PUBACK; {} published in "
                        + "{} ms, {} acknowledged, {} failed PUBACKs, longest PUBACK wait {} ms; {} rows, {} "
                        + "duplicated {}, {} acknowledged but missing",
                how, ackedAtStop, millis(stoppedAt, restartedAt), millis(restartedAt, finishedAt),
                publishers * perPublisher, millis(startedAt, finishedAt), outcome.acknowledged.size(),
                outcome.failed.get(), TimeUnit.NANOSECONDS.toMillis(outcome.longestWaitNanos.get()),
                copies.values().stream().mapToInt(Integer::intValue).sum(), duplicated.size(),
                duplicated.subList(0, Math.min(10, duplicated.size())), missing.size());

        assertTrue(missing.isEmpty(), () -> missing.size() + " acknowledged messages are not in the table, such as "
                + missing.subList(0, Math.min(10, missing.size())));
        // The retries outlast the outage: every device got its PUBACK in the end.
        assertEquals(publishers * perPublisher, outcome.acknowledged.size(), outcome.failed + " failed PUBACKs");
    }

    /** The value of {@code count} once it stayed the same for 300 ms. */
    private static int settled(IntSupplier count) {
        int[] last = {count.getAsInt()};
        long[] since = {System.nanoTime()};
        Await.until(Duration.ofSeconds(10), "the count settles", () -> {
            int now = count.getAsInt();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] >= TimeUnit.MILLISECONDS.toNanos(300);
        });
        return last[0];
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
