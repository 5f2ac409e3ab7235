package io.tributary.it.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tributary.it.support.TestTributary;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.postgres.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A QoS 1 device's PUBACK waits for the commit of the transaction that holds its row, observed with the commit
 * held open: a deferred constraint trigger on the table waits at commit time for an advisory lock that the test
 * holds on its own connection. While it does, the rows are written but not committed, and no PUBACK comes.
 */
class PostgresCommitTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The advisory lock the trigger waits for. */
    private static final long LOCK = 4242;

    @TempDir
    static Path data;
    static PostgresServer postgres;
    static TestTributary tributary;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.start("commit");
        postgres.execute("CREATE TABLE held (id text NOT NULL)");
        postgres.holdCommitsOn("held", LOCK);
        tributary = TestTributary.start(data, """
                connections:
                  jdbc:
                    pg: { url: "%s", username: postgres }
                routes:
                  - name: held
                    from: { mqtt: "held/{device}" }
                    to:
                      jdbc:
                        connection: pg
                        table: held
                        columns:
                          id: "{json.id}"
                        batch: { size: 100, time: 20ms }
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
    void pubackWaitsWhileTheBatchsCommitIsHeldOpen() throws Exception {
        Mqtt5AsyncClient device = tributary.mqtt5Async("held-device");
        Map<String, CompletableFuture<Mqtt5PublishResult>> answers = new LinkedHashMap<>();
        try (Connection holder = postgres.connect(); Statement lock = holder.createStatement()) {
            lock.execute("SELECT pg_advisory_lock(" + LOCK + ")");
            try {
                for (int i = 0; i < 20; i++) {
                    String id = "held-" + i;
                    answers.put(id, device.publishWith().topic("held/d1").qos(MqttQos.AT_LEAST_ONCE)
                            .payload(("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8)).send());
                }
                Await.until(WAIT, "the route's commit waits in the trigger", () -> postgres.queryLong(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'advisory'") > 0);
                Await.holds(Duration.ofSeconds(2), "no PUBACK while the commit is held open, and no row visible",
                        () -> answers.values().stream().noneMatch(CompletableFuture::isDone)
                                && postgres.queryLong("SELECT count(*) FROM held") == 0);
            } finally {
                lock.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
            }

            for (Map.Entry<String, CompletableFuture<Mqtt5PublishResult>> answer : answers.entrySet()) {
                Mqtt5PublishResult result = answer.getValue().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(result.getError().isEmpty(), answer.getKey() + ": " + result.getError());
            }
            Map<String, Integer> expected = new HashMap<>();
            answers.keySet().forEach(id -> expected.put(id, 1));
            assertEquals(expected, rows(), "each acknowledged message once in the table");
        } finally {
            device.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    private static Map<String, Integer> rows() throws Exception {
        Map<String, Integer> copies = new HashMap<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM held")) {
            while (rows.next()) {
                copies.merge(rows.getString(1), 1, Integer::sum);
            }
        }
        return copies;
    }
}
