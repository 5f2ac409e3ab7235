package io.tributary.bench.kafka;

import io.tributary.bench.server.BrokerLauncher;
import io.tributary.bench.server.JvmBrokerLauncher;
import io.tributary.bench.server.RunningBroker;
import io.tributary.bench.server.TributaryApp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Tributary beside an existing broker (issue 15): the publishers talk to that broker (Mosquitto, HiveMQ CE or a
 * second Tributary), and Tributary, run from its jar as users run it, reads {@code bench/{publisher}/telemetry} from
 * it over its MQTT link at QoS 1 and writes to Kafka with the same route target as {@link TributarySystem}. The link
 * acknowledges each message to the broker only once Kafka has the record ({@code acks=all}), where the Camel baseline
 * ({@link ExternalCamelSystem}) acknowledges on arrival; so this is the baseline's shape with Tributary in the Camel
 * bridge's place.
 */
public final class ExternalTributarySystem implements BridgeSystem {

    private final BrokerLauncher external;
    private final Path appJar;
    private final String linkExtra;

    /**
     * @param external the broker the publishers talk to
     * @param linkExtra more keys of the MQTT connection to that broker, as YAML flow-mapping entries such as
     *     {@code "max-inflight: 1000"}; empty for the defaults
     */
    public ExternalTributarySystem(BrokerLauncher external, Path appJar, String linkExtra) {
        this.external = external;
        this.appJar = appJar;
        this.linkExtra = linkExtra.strip();
    }

    @Override
    public String id() {
        return external.id() + "-tributary";
    }

    @Override
    public String displayName() {
        return external.displayName() + " + Tributary";
    }

    @Override
    public String settings() {
        return external.displayName() + " (" + external.settings() + ") and `tributary run --config` ("
                + appJar.getFileName() + ") with `connections.mqtt.local: { url: tcp://127.0.0.1:PORT"
                + (linkExtra.isEmpty() ? "" : ", " + linkExtra) + " }` (MQTT 5; session-expiry 1d, max-inflight 100 "
                + "unless given) and the one route `from: { mqtt: { connection: local, topic: "
                + "\"bench/{publisher}/telemetry\", qos: 1 } }` → `to: { kafka: { connection: main, topic: T, key: "
                + "\"{publisher}\" } }`, everything else default (producer acks=all, idempotent, linger.ms 0; the link "
                + "acknowledges the broker after Kafka's acknowledgement); its built-in broker listens on a port "
                + "nobody uses; JVM flags: " + String.join(" ", JvmBrokerLauncher.SHARED_FLAGS);
    }

    /** The configuration file the benchmark runs Tributary with. */
    static String config(int port, int externalPort, String linkExtra, String bootstrapServers,
                         String kafkaTopic) {
        return "# Written by the Tributary benchmark (BenchMain kafka) for one run.\n"
                + TributaryApp.brokerSection(port) + """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                  mqtt:
                    local: { url: "tcp://%s:%d"%s }
                routes:
                  - name: broker-to-kafka
                    from: { mqtt: { connection: local, topic: "bench/{publisher}/telemetry", qos: 1 } }
                    to:   { kafka: { connection: main, topic: "%s", key: "{publisher}" } }
                """.formatted(bootstrapServers, RunningBroker.HOST, externalPort,
                        linkExtra.isEmpty() ? "" : ", " + linkExtra, kafkaTopic);
    }

    @Override
    public RunningBridge start(Path workDir, Path pidDir, String bootstrapServers, String kafkaTopic)
            throws IOException, InterruptedException {
        RunningBroker broker = RunningBroker.start(external, workDir.resolve(external.id()),
                pidDir.resolve(external.id() + ".pid"), Duration.ofSeconds(60));
        RunningBroker tributary;
        try {
            TributaryApp launcher = new TributaryApp(appJar, "tributary", "Tributary", settings(),
                    port -> config(port, broker.port(), linkExtra, bootstrapServers, kafkaTopic));
            tributary = RunningBroker.start(launcher, workDir.resolve("tributary-link"),
                    pidDir.resolve("tributary-link.pid"), Duration.ofSeconds(60));
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
        return new RunningBridge(broker.port(), List.of(
                new RunningBridge.Part(external.displayName(), external.displayName(), broker),
                new RunningBridge.Part("Tributary JVM", "Tributary", tributary)));
    }
}
