package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.net.FreePort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive that {@code mvn package} builds, unpacked and started as a user would, with nothing but
 * a Java runtime on the PATH: no Maven, no checkout. Runs after {@code package} ({@code mvn verify}), which
 * passes the archive's path.
 */
class ArchiveIT {

    @TempDir
    Path folder;

    @Test
    @Timeout(180)
    void theUnpackedArchiveRunsAndAnswersMqtt() throws Exception {
        String built = System.getProperty("tributary.archive");
        assumeTrue(built != null, "runs after `package`, in `mvn verify`, which names the archive");
        Path archive = Path.of(built);
        assertTrue(Files.isRegularFile(archive), archive + " was not built");
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", folder.toString())
                .inheritIO().start();
        assertTrue(tar.waitFor(120, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar failed");
        Path home = folder.resolve(System.getProperty("tributary.archive.folder"));
        for (String part : new String[] {"bin/tributary", "lib/tributary.jar", "tributary-default.yaml",
            "README.md", "docs/operations.md"}) {
            assertTrue(Files.exists(home.resolve(part)), part + " missing from the archive");
        }
        // A PATH with java alone: the launcher must need nothing else.
        Path onlyJava = Files.createDirectory(folder.resolve("path"));
        Files.createSymbolicLink(onlyJava.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        int port = FreePort.onLoopback();
        Path config = Files.writeString(folder.resolve("tributary.yaml"), """
                broker:
                  listeners:
                    - { type: tcp, host: 127.0.0.1, port: %d }
                """.formatted(port));
        ProcessBuilder launcher = new ProcessBuilder(home.resolve("bin/tributary").toString(),
                "run", "--config", config.toString()).directory(folder.toFile());
        Map<String, String> environment = launcher.environment();
        environment.clear();
        environment.put("PATH", onlyJava.toString());
        environment.put("HOME", folder.toString());

        try (TributaryProcess tributary = TributaryProcess.start(launcher)) {
            tributary.awaitLine("started with");
            Await.until(Duration.ofSeconds(30), "the MQTT port open", () -> RunProcessTest.accepts(port));
            Mqtt5BlockingClient client = Mqtt5Client.builder().identifier("archive-test").serverHost("127.0.0.1")
                    .serverPort(port).buildBlocking();
            client.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(
                    com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
                client.subscribeWith().topicFilter("archive/test").qos(MqttQos.AT_LEAST_ONCE).send();
                client.publishWith().topic("archive/test").qos(MqttQos.AT_LEAST_ONCE)
                        .payload("hello".getBytes(StandardCharsets.UTF_8)).send();
                Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
                assertTrue(received.isPresent(), "no message back from the broker");
                assertEquals("hello", new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            client.disconnect();

            assertEquals(0, tributary.stop(), tributary.output());
            assertTrue(tributary.output().contains("stopped;"), tributary.output());
        }
    }
}
