package io.tributary.bench.kafka;

import io.tributary.bench.baseline.PahoKafkaBridgeMain;
import io.tributary.bench.server.HelperProcess;
import io.tributary.bench.server.JvmBrokerLauncher;
import io.tributary.bench.server.MosquittoLauncher;
import io.tributary.bench.server.RunningBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a user would otherwise run: Mosquitto, plus a plain Camel route in a JVM of its own that subscribes to
 * {@code bench/+/telemetry} at QoS 1 with camel-paho and writes every message with camel-kafka at its defaults
 * ({@link PahoKafkaBridgeMain}). Mosquitto acknowledges a publish as soon as it has it; the bridge acknowledges
 * Mosquitto's delivery when camel-kafka has taken the record, before Kafka has.
 */
public final class MosquittoCamelSystem implements BridgeSystem {

    private final MosquittoLauncher mosquitto;

    public MosquittoCamelSystem(MosquittoLauncher mosquitto) {
        this.mosquitto = mosquitto;
    }

    @Override
    public String id() {
        return "mosquitto-camel";
    }

    @Override
    public String displayName() {
        return "Mosquitto + Camel";
    }

    @Override
    public String settings() {
        return "Mosquitto (" + mosquitto.settings() + ") and, in its own JVM, "
                + PahoKafkaBridgeMain.class.getSimpleName() + ": a DefaultCamelContext with the one route `from(\""
                + PahoKafkaBridgeMain.routeFrom("bench/+/telemetry", "tcp://127.0.0.1:PORT", "CLIENT_ID")
                + "\").to(\"" + PahoKafkaBridgeMain.routeTo("T", "127.0.0.1:KPORT") + "\")`, camel-paho and "
                + "camel-kafka 4.17.0 at their defaults (paho: clean session, in-memory persistence; kafka: acks=all, "
                + "idempotent, linger.ms 0, StringSerializer, no key); JVM flags: "
                + String.join(" ", JvmBrokerLauncher.SHARED_FLAGS);
    }

    @Override
    public RunningBridge start(Path workDir, Path pidDir, String bootstrapServers, String kafkaTopic)
            throws IOException, InterruptedException {
        RunningBroker broker = RunningBroker.start(mosquitto, workDir.resolve("mosquitto"),
                pidDir.resolve("mosquitto.pid"), Duration.ofSeconds(30));
        HelperProcess bridge;
        try {
            List<String> command = JvmBrokerLauncher.javaCommand(JvmBrokerLauncher.SHARED_FLAGS,
                    PahoKafkaBridgeMain.class.getName());
            command.addAll(List.of("--mqtt", "tcp://" + RunningBroker.HOST + ":" + broker.port(),
                    "--filter", "bench/+/telemetry",
                    "--brokers", bootstrapServers,
                    "--topic", kafkaTopic,
                    "--client-id", "camel-bridge-" + Long.toString(System.nanoTime() & 0xFFFFFF, 36),
                    "--exit-on-stdin-eof"));
            bridge = HelperProcess.start("bridge", command, workDir.resolve("bridge.log"), pidDir.resolve("bridge.pid"),
                    PahoKafkaBridgeMain.READY_PREFIX, Duration.ofSeconds(60));
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
        return new RunningBridge(broker.port(), List.of(new RunningBridge.Part("Mosquitto", "Mosquitto", broker),
                new RunningBridge.Part("Camel bridge JVM", "the Camel bridge", bridge)));
    }
}
