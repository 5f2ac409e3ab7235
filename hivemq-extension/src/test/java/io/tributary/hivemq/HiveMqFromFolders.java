package io.tributary.hivemq;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ CE as its own distribution runs it, for {@link PackagedExtensionIT}'s child JVM: its configuration, data and
 * extensions folders under {@code HOME} (arguments: {@code HOME}), extensions loaded from {@code extensions/} only,
 * HiveMQ's own logging. Prints {@value #READY} once HiveMQ started; stops HiveMQ on SIGTERM. It refuses to run when a
 * class of the extension's is on its own class path, since HiveMQ would then not prove that the zip holds it.
 */
public final class HiveMqFromFolders {

    static final String READY = "HiveMQ from folders started";
    static final List<String> NOT_ON_THE_CLASS_PATH = List.of("io.tributary.hivemq.TributaryExtensionMain",
            "io.tributary.routes.TributaryBridge", "org.apache.camel.CamelContext",
            "org.apache.kafka.clients.producer.KafkaProducer", "org.snakeyaml.engine.v2.api.Load");

    private HiveMqFromFolders() {
    }

    public static void main(String[] args) throws Exception {
        for (String name : NOT_ON_THE_CLASS_PATH) {
            if (ClassLoader.getSystemClassLoader().getResource(name.replace('.', '/') + ".class") != null) {
                System.out.println("refusing to start: " + name + " is on the class path");
                System.exit(2);
            }
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                hivemq.stop().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.out.println("HiveMQ did not stop cleanly: " + e);
            } finally {
                stopped.countDown();
            }
        }, "hivemq-stop"));
        hivemq.start().get(60, TimeUnit.SECONDS);
        System.out.println(READY);
        stopped.await();
    }
}
