package io.tributary.bench.kafka;

import io.tributary.bench.baseline.PahoKafkaBridgeMain;
import io.tributary.bench.server.HelperProcess;
import io.tributary.bench.server.JvmBrokerLauncher;
import io.tributary.bench.server.BrokerLauncher;
import io.tributary.bench.server.RunningBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a user would otherwise run: a broker (Mosquitto, HiveMQ CE or Tributary), plus a plain Camel route in a JVM
 * of its own that subscribes to {@code bench/+/telemetry} at QoS 1 with camel-paho and writes every message with
 * camel-kafka at its defaults ({@link PahoKafkaBridgeMain}). The broker acknowledges a publish as soon as it has it; the bridge acknowledges
 * the broker's delivery when camel-kafka has taken the record, before Kafka has.
 */
public final class ExternalCamelSystem implements BridgeSystem {

    private final BrokerLauncher external;

    /** @param external the broker the publishers talk to */
    public ExternalCamelSystem(BrokerLauncher external) {
        this.external = external;
    }

    @Override
    public String id() {
        return external.id() + "-camel";
    }

    @Override
    public String displayName() {
        return external.displayName() + " + Camel";
    }

    @Override
    public String settings() {
        return external.displayName() + " (" + external.settings() + ") and, in its own JVM, "
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
        RunningBroker broker = RunningBroker.start(external, workDir.resolve(external.id()),
                pidDir.resolve(external.id() + ".pid"), Duration.ofSeconds(60));
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
        return new RunningBridge(broker.port(), List.of(new RunningBridge.Part(external.displayName(), external.displayName(), broker),
                new RunningBridge.Part("Camel bridge JVM", "the Camel bridge", bridge)));
    }
}
