package io.tributary.hivemq;

import static io.tributary.hivemq.Devices.assertSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.http.WebhookServer;
import io.tributary.testsupport.postgres.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One device's publishes routed inside HiveMQ CE to a real webhook and a real PostgreSQL table at once: the PUBACK
 * waits for both, observed with the table's commit held open (a deferred constraint trigger waits at commit time for
 * an advisory lock that the test holds), while the webhook has already answered.
 */
class WebhookAndPostgresInHiveMqTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The advisory lock the trigger waits for. */
    private static final long LOCK = 4243;

    @TempDir
    Path folder;
    static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start("hivemq-extension");
        postgres.execute("CREATE TABLE readings (device text NOT NULL, temp double precision NOT NULL)");
        postgres.holdCommitsOn("readings", LOCK);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void thePubackWaitsForTheWebhookAndTheTablesCommit() throws Exception {
        try (WebhookServer webhook = WebhookServer.start()) {
            String yaml = """
                    connections:
                      jdbc:
                        pg: { url: "%s", username: postgres }
                    routes:
                      - name: readings-to-db
                        from: { mqtt: "readings/{device}" }
                        to:
                          jdbc:
                            connection: pg
                            table: readings
                            columns:
                              device: "{device}"
                              temp: { value: "{json.temp}", type: double }
                      - name: readings-to-webhook
                        from: { mqtt: "readings/{device}" }
                        to: { http: { url: "%s/{device}", method: POST } }
                    """.formatted(postgres.jdbcUrl(), webhook.url("/readings"));
            try (HiveMqWithTributary hivemq = HiveMqWithTributary.start(folder, yaml)) {
                Mqtt5AsyncClient device = Devices.connect(hivemq, "d1");
                assertSuccess(publish(device, "{\"temp\":20.5}").get(WAIT.toSeconds(), TimeUnit.SECONDS));

                CompletableFuture<Mqtt5PublishResult> held;
                try (Connection holder = postgres.connect(); Statement lock = holder.createStatement()) {
                    lock.execute("SELECT pg_advisory_lock(" + LOCK + ")");
                    try {
                        held = publish(device, "{\"temp\":21.5}");
                        Await.until(WAIT, "the webhook answered and the table's commit waits in the trigger",
                                () -> webhook.answered("/readings").size() == 2 && postgres.queryLong(
                                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'advisory'") > 0);
                        Await.holds(Duration.ofSeconds(2), "no PUBACK while the commit is held open",
                                () -> !held.isDone());
                    } finally {
                        lock.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
                    }
                }

                assertSuccess(held.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertEquals(List.of("d1 20.5", "d1 21.5"), rows(), "each acknowledged message once in the table");
                assertEquals(List.of("{\"temp\":20.5}", "{\"temp\":21.5}"), webhook.requests("/readings/d1").stream()
                        .map(WebhookServer.Request::bodyText).toList(), "each once at the webhook");
                device.disconnect().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient device, String payload) {
        return device.publishWith().topic("readings/d1").qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    private static List<String> rows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT device, temp FROM readings ORDER BY temp")) {
            while (result.next()) {
                rows.add(result.getString(1) + " " + result.getDouble(2));
            }
        }
        return rows;
    }
}
