package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.tributary.testsupport.net.FreePort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tributary sql} reads the embedded H2 database of a Tributary that runs in another process. */
class SqlCommandTest {

    @TempDir
    Path folder;

    private Path config(int port) throws Exception {
        return Files.writeString(folder.resolve("tributary.yaml"), """
                broker:
                  listeners:
                    - { type: tcp, host: 127.0.0.1, port: %d, name: mqtt }
                data-directory: data
                connections:
                  jdbc:
                    local: embedded
                routes:
                  - name: readings
                    from: { mqtt: "sensors/{device}" }
                    to:
                      jdbc:
                        connection: local
                        table: readings
                        create-table: true
                        columns:
                          device: "{device}"
                          temp: { value: "{json.temp}", type: double }
                """.formatted(port));
    }

    @Test
    @Timeout(120)
    void readsRowsWhileTributaryRunsAndAfterItStopped() throws Exception {
        int port = FreePort.onLoopback();
        Path file = config(port);
        try (TributaryProcess tributary = TributaryProcess.onClassPath("run", "--config", file.toString())) {
            tributary.awaitLine("started with");
            Mqtt5BlockingClient device = Mqtt5Client.builder().identifier("d1").serverHost("127.0.0.1")
                    .serverPort(port).buildBlocking();
            device.connect();
            // The PUBACK of a QoS 1 message comes once the row is committed.
            device.publishWith().topic("sensors/d1").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{\"temp\": 21.5}".getBytes(StandardCharsets.UTF_8)).send();
            device.disconnect();

            Cli.Result running = Cli.run("sql", "--config", file.toString(),
                    "select device, temp from readings");

            assertEquals(0, running.exitCode(), running.err() + "\n" + tributary.output());
            assertEquals(String.join(System.lineSeparator(),
                    "DEVICE | TEMP",
                    "-------+-----",
                    "d1     | 21.5",
                    "(1 row)", ""), running.out());
            assertEquals(0, tributary.stop(), tributary.output());
        }

        Cli.Result stopped = Cli.run("sql", "--config", file.toString(), "--connection", "local",
                "select count(*) as n from readings");

        assertEquals(0, stopped.exitCode(), stopped.err());
        assertTrue(stopped.out().startsWith("N" + System.lineSeparator() + "-" + System.lineSeparator() + "1"),
                stopped.out());
    }

    @Test
    void aDatabaseThatDoesNotExistYetIsNotCreated() throws Exception {
        Path file = config(FreePort.onLoopback());

        Cli.Result result = Cli.run("sql", "--config", file.toString(), "select 1");

        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith("tributary sql: the embedded database 'local' does not exist yet"),
                result.err());
        assertTrue(Files.notExists(folder.resolve("data/h2/local.mv.db")));
    }

    @Test
    void anUnknownConnectionIsNamed() throws Exception {
        Path file = config(FreePort.onLoopback());

        Cli.Result result = Cli.run("sql", "--config", file.toString(), "--connection", "main", "select 1");

        assertEquals(1, result.exitCode());
        assertEquals("tributary sql: no connections.jdbc entry 'main' in " + file + "; there is local"
                + System.lineSeparator(), result.err());
    }
}
