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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL stopped while devices publish at QoS 1 into it, then started again on the same data: the
 * batches written meanwhile fail, the route retries them, the devices' PUBACKs wait, and once the database is
 * back the pool connects again; every message that got a PUBACK is in the table.
 */
class PostgresOutageTest {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresOutageTest.class);
    private static final Duration DOWN_FOR = Duration.ofSeconds(8);

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
        int publishers = 2;
        int perPublisher = 5_000;
        Qos1Publisher.Outcome outcome = new Qos1Publisher.Outcome();
        long startedAt = System.nanoTime();
        CompletableFuture<Void> done = Qos1Publisher.start(tributary, "outage", publishers, perPublisher, 100,
                "{\"id\":\"%1$s\",\"seq\":%2$d}", outcome);

        Await.until(Duration.ofSeconds(60), "3,000 PUBACKs before the stop",
                () -> outcome.acknowledged.size() >= 3_000);
        postgres.stop();
        int ackedAtStop = outcome.acknowledged.size();
        long stoppedAt = System.nanoTime();
        Thread.sleep(DOWN_FOR.toMillis());
        int ackedWhileDown = outcome.acknowledged.size() - ackedAtStop;
        postgres.start();
        long restartedAt = System.nanoTime();
        done.get(180, TimeUnit.SECONDS);
        long finishedAt = System.nanoTime();

        Map<String, Integer> copies = new HashMap<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM telemetry")) {
            while (rows.next()) {
                copies.merge(rows.getString(1), 1, Integer::sum);
            }
        }
        List<String> missing = outcome.acknowledged.stream().filter(id -> !copies.containsKey(id)).sorted().toList();
        List<String> duplicated = copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .sorted().toList();
        LOG.info("PostgreSQL stopped after {} PUBACKs, down {} ms (PUBACKs meanwhile: {}), back {} ms before the last"
                        + " PUBACK; {} published in {} ms, {} acknowledged, {} failed PUBACKs, longest PUBACK wait {} ms;"
                        + " {} rows, {} duplicated {}, {} acknowledged but missing",
                ackedAtStop, millis(stoppedAt, restartedAt), ackedWhileDown, millis(restartedAt, finishedAt),
                publishers * perPublisher, millis(startedAt, finishedAt), outcome.acknowledged.size(),
                outcome.failed.get(), TimeUnit.NANOSECONDS.toMillis(outcome.longestWaitNanos.get()),
                copies.values().stream().mapToInt(Integer::intValue).sum(), duplicated.size(),
                duplicated.subList(0, Math.min(10, duplicated.size())), missing.size());

        assertTrue(missing.isEmpty(), () -> missing.size() + " acknowledged messages are not in the table, such as "
                + missing.subList(0, Math.min(10, missing.size())));
        assertEquals(0, ackedWhileDown, "PUBACKs while the database was down");
        // The retries outlast the outage: every device got its PUBACK in the end.
        assertEquals(publishers * perPublisher, outcome.acknowledged.size(), outcome.failed + " failed PUBACKs");
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
