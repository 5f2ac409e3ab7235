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
    private final String connectionExtra;
    private final String id;
    private final String displayName;

    public TributarySystem(Path appJar) {
        this(appJar, "");
    }

    public TributarySystem(Path appJar, String connectionExtra) {
        this(appJar, connectionExtra, "tributary", "Tributary");
    }

    /**
     * @param connectionExtra more keys of the Kafka connection, as YAML flow-mapping entries such as
     *     {@code "linger: 2ms, compression: lz4"}, to compare producer settings; empty for the defaults
     * @param id and {@code displayName}: another jar (an earlier build) runs as a system of its own
     */
    public TributarySystem(Path appJar, String connectionExtra, String id, String displayName) {
        this.appJar = appJar;
        this.connectionExtra = connectionExtra.strip();
        this.id = id;
        this.displayName = displayName;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public String settings() {
        return "`tributary run --config` (" + appJar.getFileName() + "), one TCP listener and the route "
                + "`from: { mqtt: \"bench/{publisher}/telemetry\" }` → `to: { kafka: { connection: main, topic: T, "
                + "key: \"{publisher}\" } }`, everything else default (broker defaults; producer acks=all, "
                + "idempotent, linger.ms 0, ByteArraySerializer, MQTT metadata as record headers; PUBACK after "
                + "Kafka's acknowledgement)" + (connectionExtra.isEmpty() ? "" : "; Kafka connection: `" + connectionExtra
                + "`") + "; JVM flags: " + String.join(" ", JvmBrokerLauncher.SHARED_FLAGS);
    }

    /** The configuration file the benchmark runs Tributary with. */
    static String config(int port, String bootstrapServers, String kafkaTopic, String connectionExtra) {
        return "# Written by the Tributary benchmark (BenchMain kafka) for one run.\n"
                + TributaryApp.brokerSection(port) + routes(bootstrapServers, kafkaTopic, connectionExtra);
    }

    /** The Kafka connection and the route, which Tributary's extension inside HiveMQ runs too. */
    static String routes(String bootstrapServers, String kafkaTopic, String connectionExtra) {
        return """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s"%s }
                routes:
                  - name: telemetry-to-kafka
                    from: { mqtt: "bench/{publisher}/telemetry" }
                    to:   { kafka: { connection: main, topic: "%s", key: "{publisher}" } }
                """.formatted(bootstrapServers, connectionExtra.isEmpty() ? "" : ", " + connectionExtra, kafkaTopic);
    }

    @Override
    public RunningBridge start(Path workDir, Path pidDir, String bootstrapServers, String kafkaTopic)
            throws IOException, InterruptedException {
        TributaryApp launcher = new TributaryApp(appJar, id(), displayName(), settings(),
                port -> config(port, bootstrapServers, kafkaTopic, connectionExtra));
        RunningBroker broker = RunningBroker.start(launcher, workDir, pidDir.resolve(id + ".pid"),
                Duration.ofSeconds(60));
        return new RunningBridge(broker.port(), List.of(new RunningBridge.Part(displayName, displayName, broker)));
    }
}
