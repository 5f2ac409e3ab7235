package io.tributary.bench.kafka;

import io.tributary.bench.server.JvmBrokerLauncher;
import io.tributary.bench.server.RunningBroker;
import io.tributary.bench.server.TributaryApp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Tributary as a user runs it: {@code java -jar tributary.jar run --config FILE}, one process holding the broker and
 * a configured route from {@code bench/{publisher}/telemetry} to a Kafka topic, keyed by the publisher. The route
 * writes with {@code acks=all} and idempotence, and the broker sends the QoS 1 PUBACK only once Kafka has
 * acknowledged the record.
 */
public final class TributarySystem implements BridgeSystem {

    private final Path appJar;

    public TributarySystem(Path appJar) {
        this.appJar = appJar;
    }

    @Override
    public String id() {
        return "tributary";
    }

    @Override
    public String displayName() {
        return "Tributary";
    }

    @Override
    public String settings() {
        return "`tributary run --config` (" + appJar.getFileName() + "), one TCP listener and the route "
                + "`from: { mqtt: \"bench/{publisher}/telemetry\" }` → `to: { kafka: { connection: main, topic: T, "
                + "key: \"{publisher}\" } }`, everything else default (broker defaults; producer acks=all, "
                + "idempotent, linger.ms 0, ByteArraySerializer, MQTT metadata as record headers; PUBACK after "
                + "Kafka's acknowledgement); JVM flags: " + String.join(" ", JvmBrokerLauncher.SHARED_FLAGS);
    }

    /** The configuration file the benchmark runs Tributary with. */
    static String config(int port, String bootstrapServers, String kafkaTopic) {
        return "# Written by the Tributary benchmark (BenchMain kafka) for one run.\n"
                + TributaryApp.brokerSection(port) + """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                routes:
                  - name: telemetry-to-kafka
                    from: { mqtt: "bench/{publisher}/telemetry" }
                    to:   { kafka: { connection: main, topic: "%s", key: "{publisher}" } }
                """.formatted(bootstrapServers, kafkaTopic);
    }

    @Override
    public RunningBridge start(Path workDir, Path pidDir, String bootstrapServers, String kafkaTopic)
            throws IOException, InterruptedException {
        TributaryApp launcher = new TributaryApp(appJar, id(), displayName(), settings(),
                port -> config(port, bootstrapServers, kafkaTopic));
        RunningBroker broker = RunningBroker.start(launcher, workDir, pidDir.resolve("tributary.pid"),
                Duration.ofSeconds(60));
        return new RunningBridge(broker.port(), List.of(new RunningBridge.Part("Tributary", "Tributary", broker)));
    }
}
