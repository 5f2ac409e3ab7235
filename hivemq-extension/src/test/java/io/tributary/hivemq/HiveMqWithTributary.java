package io.tributary.hivemq;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.tributary.testsupport.hivemq.HiveMqHome;
import io.tributary.testsupport.net.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HiveMQ CE embedded in the test JVM with Tributary as its embedded extension: one TCP listener on 127.0.0.1 and a
 * free port, in-memory persistence, HiveMQ's logging left to the test's Logback.
 */
final class HiveMqWithTributary implements AutoCloseable {

    private final EmbeddedHiveMQ hivemq;
    private final int port;

    private HiveMqWithTributary(EmbeddedHiveMQ hivemq, int port) {
        this.hivemq = hivemq;
        this.port = port;
    }

    /** Starts HiveMQ in {@code folder} with Tributary reading {@code tributaryYaml}; returns once it listens. */
    static HiveMqWithTributary start(Path folder, String tributaryYaml) throws Exception {
        return start(folder, tributaryYaml, "");
    }

    /**
     * As {@link #start(Path, String)}, with {@code mqttSection} in the {@code <mqtt>} element of HiveMQ's
     * {@code config.xml} (for example its {@code <queued-messages>} limits); empty for HiveMQ's defaults.
     */
    static HiveMqWithTributary start(Path folder, String tributaryYaml, String mqttSection) throws Exception {
        int port = FreePort.onLoopback();
        Path conf = HiveMqHome.write(folder, port, mqttSection);
        Path extensionFolder = Files.createDirectories(folder.resolve("tributary"));
        Path config = extensionFolder.resolve(TributaryExtensionMain.CONFIG_FILE);
        Files.writeString(config, tributaryYaml);
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(folder.resolve("data"))
                .withExtensionsFolder(folder.resolve("extensions"))
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("tributary").withName("Tributary routes").withVersion("test")
                        .withExtensionMain(new TributaryExtensionMain(config, Map.of()))
                        .build())
                .withoutLoggingBootstrap()
                .build();
        try {
            hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            hivemq.close();
            throw e;
        }
        return new HiveMqWithTributary(hivemq, port);
    }

    int port() {
        return port;
    }

    EmbeddedHiveMQ hivemq() {
        return hivemq;
    }

    @Override
    public void close() throws Exception {
        try {
            hivemq.stop().get(60, TimeUnit.SECONDS);
        } finally {
            hivemq.close();
        }
    }
}
