package io.tributary.hivemq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.tributary.testsupport.hivemq.HiveMqHome;
import io.tributary.testsupport.kafka.KafkaServer;
import io.tributary.testsupport.net.FreePort;
import io.tributary.testsupport.process.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zip that {@code mvn package} builds, unzipped into a fresh {@code extensions/} folder of HiveMQ CE running in a
 * child JVM whose class path is HiveMQ CE's alone (§7.2 test 12 of the design): HiveMQ finds the extension through
 * its descriptor and services file, loads every class of Tributary's from the zip's jars, and routes with the shipped
 * example configuration. Runs after {@code package} ({@code mvn verify}), which names the zip and the class path.
 */
class PackagedExtensionIT {

    private static final String KAFKA_VARIABLE = "TRIBUTARY_CONNECTIONS_KAFKA_MAIN_BOOTSTRAP_SERVERS";

    @TempDir
    Path home;
    private Path zip;
    private String hivemqClassPath;

    @BeforeEach
    void findTheBuild() throws IOException {
        String zipProperty = System.getProperty("tributary.extension.zip");
        String classPathProperty = System.getProperty("tributary.hivemq.classpath");
        String libProperty = System.getProperty("tributary.hivemq.lib");
        assumeTrue(zipProperty != null && classPathProperty != null && libProperty != null,
                "runs after `package`, in `mvn verify`, which names the zip and HiveMQ's class path");
        zip = Path.of(zipProperty);
        assertTrue(Files.isRegularFile(zip), zip + " was not built");
        StringBuilder classPath = new StringBuilder(Files.readString(Path.of(classPathProperty)).trim());
        // What the class path file cannot name (HiveMQ's RocksDB, see the pom), in its own folder.
        try (var jars = Files.list(Path.of(libProperty))) {
            jars.sorted().forEach(jar -> classPath.append(File.pathSeparator).append(jar));
        }
        hivemqClassPath = classPath.toString();
    }

    @Test
    @Timeout(120)
    void theUnzippedExtensionRoutesAPublishIntoKafka() throws Exception {
        List<String> entries = unzip();
        assertLayout(entries);
        assertClassPathIsBeside(home.resolve("extensions/tributary"));
        KafkaServer kafka = KafkaServer.shared();
        kafka.createTopic("telemetry.north", 1);
        kafka.createTopic("commands", 1);
        int port = writeHiveMqConfig();

        ChildProcess hivemq = startHiveMq(Map.of(KAFKA_VARIABLE, kafka.bootstrapServers()));
        try {
            assertTrue(log().contains("Tributary started inside HiveMQ from"), this::tail);
            Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("d1")
                    .serverHost("127.0.0.1").serverPort(port).buildBlocking();
            device.connect();
            // The shipped example's route: sites/{site}/devices/{device}/telemetry to telemetry.{site}.
            Mqtt5PublishResult result = device.publishWith().topic("sites/north/devices/d1/telemetry")
                    .qos(MqttQos.AT_LEAST_ONCE).payload("21.5".getBytes(StandardCharsets.UTF_8)).send();
            // Success, or HiveMQ's "no matching subscribers": the route is not an MQTT subscriber.
            Mqtt5PubAckReasonCode code = ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
            assertFalse(code.isError(), () -> "PUBACK " + code);
            device.disconnect();
            List<String> inKafka = KafkaTopic.payloads(kafka.bootstrapServers(), "telemetry.north", 1,
                    Duration.ofSeconds(30));
            assertEquals(List.of("21.5"), inKafka);
        } finally {
            hivemq.stop(Duration.ofSeconds(30));
        }
        assertTrue(log().contains("Tributary stopped inside HiveMQ"), this::tail);
    }

    @Test
    @Timeout(120)
    void aBrokerSectionKeepsTheExtensionFromStartingAndHiveMqsLogNamesTheKey() throws Exception {
        unzip();
        Files.writeString(home.resolve("extensions/tributary/tributary.yaml"), """
                broker:
                  listeners:
                    - { type: tcp, port: 1883 }
                """);
        writeHiveMqConfig();

        ChildProcess hivemq = startHiveMq(Map.of());
        try {
            String log = log();
            assertTrue(log.contains("tributary.yaml:2:3: broker.listeners: does not apply inside HiveMQ"), this::tail);
            // The reason the extension gave HiveMQ for not starting, in HiveMQ's own line.
            assertTrue(log.contains("Tributary's configuration is invalid"), this::tail);
            assertFalse(log.contains("Tributary started inside HiveMQ"), this::tail);
        } finally {
            hivemq.stop(Duration.ofSeconds(30));
        }
    }

    /** Unzips the zip into {@code extensions/}, returning its entries' names. */
    private List<String> unzip() throws IOException {
        Path extensions = Files.createDirectories(home.resolve("extensions"));
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
                Path target = extensions.resolve(entry.getName()).normalize();
                assertTrue(target.startsWith(extensions), entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
        return names;
    }

    /** One folder, tributary/, with the descriptor, the example, and jars only at its top level; none HiveMQ has. */
    private static void assertLayout(List<String> entries) {
        for (String entry : entries) {
            assertTrue(entry.startsWith("tributary/"), () -> "outside tributary/: " + entry);
            String inFolder = entry.substring("tributary/".length());
            assertFalse(inFolder.contains("/"), () -> "in a subfolder, where HiveMQ does not look: " + entry);
            assertFalse(inFolder.startsWith("hivemq-extension-sdk") || inFolder.startsWith("slf4j-api")
                    || inFolder.startsWith("logback-") || inFolder.startsWith("metrics-core-4")
                    || inFolder.matches("tributary-broker-\\d.*") || inFolder.startsWith("netty-transport-native-epoll")
                    || inFolder.startsWith("jul-to-slf4j"), () -> "HiveMQ's own, or the broker's: " + entry);
        }
        for (String expected : List.of("tributary/hivemq-extension.xml", "tributary/tributary.yaml")) {
            assertTrue(entries.contains(expected), () -> expected + " missing: " + entries);
        }
        assertTrue(entries.stream().anyMatch(e -> e.matches("tributary/tributary-hivemq-extension-.*\\.jar")),
                () -> "the extension's jar missing: " + entries);
    }

    /**
     * HiveMQ gives each jar a class loader of its own: the extension's jar reaches the others through its manifest's
     * Class-Path, so each name there must be a jar beside it, but for what HiveMQ provides.
     */
    private static void assertClassPathIsBeside(Path folder) throws IOException {
        Path extensionJar;
        try (var files = Files.list(folder)) {
            extensionJar = files.filter(f -> f.getFileName().toString().startsWith("tributary-hivemq-extension-"))
                    .findFirst().orElseThrow();
        }
        String classPath;
        try (JarFile jar = new JarFile(extensionJar.toFile())) {
            classPath = jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        }
        assertTrue(classPath != null && classPath.contains("tributary-routes-"), () -> "Class-Path: " + classPath);
        for (String jar : classPath.split(" ")) {
            assertTrue(jar.startsWith("slf4j-api-") || Files.isRegularFile(folder.resolve(jar)),
                    () -> jar + " is in the extension jar's Class-Path, not in the folder");
        }
    }

    private int writeHiveMqConfig() throws IOException {
        int port = FreePort.onLoopback();
        Path conf = HiveMqHome.write(home, port);
        // As HiveMQ's distribution does, its log in log/hivemq.log (which outlives the process's output).
        Files.writeString(conf.resolve("logback.xml"), """
                <configuration>
                    <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                        <file>%s</file>
                        <encoder><pattern>%%d %%-5level [%%thread] %%logger{30} - %%msg%%n</pattern></encoder>
                    </appender>
                    <logger name="org.apache.kafka" level="WARN"/>
                    <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(hivemqLog()));
        return port;
    }

    /**
     * HiveMQ in a child JVM with HiveMQ CE's class path and {@link HiveMqFromFolders}, copied alone into a folder of
     * its own (this module's test classes would bring nothing the child should have).
     */
    private ChildProcess startHiveMq(Map<String, String> environment) throws IOException {
        Path mainFolder = Files.createDirectories(home.resolve("main/io/tributary/hivemq"));
        String classFile = HiveMqFromFolders.class.getSimpleName() + ".class";
        try (InputStream in = HiveMqFromFolders.class.getResourceAsStream(classFile)) {
            Files.copy(in, mainFolder.resolve(classFile));
        }
        List<String> command = new ArrayList<>();
        // `env` sets the child's variables: ChildProcess starts the command as it is.
        command.add("env");
        environment.forEach((name, value) -> command.add(name + "=" + value));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", home.resolve("main") + File.pathSeparator + hivemqClassPath,
                HiveMqFromFolders.class.getName(), home.toString()));
        return ChildProcess.start("hivemq", command, home.resolve("hivemq-child.log"), null, HiveMqFromFolders.READY,
                Duration.ofSeconds(90));
    }

    private Path hivemqLog() {
        return home.resolve("log/hivemq.log");
    }

    private String log() {
        try {
            return Files.readString(hivemqLog());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String tail() {
        List<String> lines = log().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
