package io.tributary.it.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.tributary.it.support.TestTributary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded JDBC connection: an H2 file database under the data directory, which Tributary creates and
 * writes without any server, and which keeps the rows after Tributary stopped.
 */
class EmbeddedH2SinkTest {

    @TempDir
    Path data;

    @Test
    void messagesAreRowsOfAnH2FileUnderTheDataDirectoryThatOutlivesTheBridge() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        try (TestTributary tributary = TestTributary.start(data, """
                connections:
                  jdbc:
                    local: embedded
                routes:
                  - name: to-h2
                    from: { mqtt: "sensors/{device}/temperature" }
                    to:
                      jdbc:
                        connection: local
                        table: temperatures
                        columns:
                          device: "{device}"
                          value: { value: "{payload}", type: double }
                          at: { value: "{timestamp}", type: timestamp }
                        batch: { size: 10, time: 20ms }
                        create-table: true
                """)) {
            Mqtt5AsyncClient device = tributary.mqtt5Async("h2-device");
            try {
                for (int i = 0; i < 25; i++) {
                    assertEquals(Mqtt5PubAckReasonCode.SUCCESS,
                            Qos1Publisher.publishOne(device, "sensors/d" + (i % 3) + "/temperature", "2" + i + ".5"));
                }
            } finally {
                device.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
            }
        }
        Instant after = Instant.now().plusSeconds(1);

        Path file = data.resolve("h2").resolve("local.mv.db");
        assertTrue(Files.isRegularFile(file), "no database file at " + file);
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("h2").resolve("local"),
                "sa", "");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT device, \"VALUE\", at FROM temperatures ORDER BY at")) {
            while (result.next()) {
                Instant at = result.getObject(3, java.time.OffsetDateTime.class).toInstant();
                assertTrue(!at.isBefore(before) && !at.isAfter(after), "at " + at);
                rows.add(result.getString(1) + "=" + result.getDouble(2));
            }
        }
        assertEquals(25, rows.size(), rows.toString());
        assertEquals("d0=20.5", rows.get(0));
        assertEquals("d0=224.5", rows.get(24));
    }
}
