package io.tributary.bench.kafka;

import io.tributary.bench.baseline.PahoKafkaBridgeMain;
import io.tributary.bench.server.ChildProcess;
import io.tributary.bench.server.JvmBrokerLauncher;
import io.tributary.bench.server.MosquittoLauncher;
import io.tributary.bench.server.RunningBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        ChildProcess bridge;
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(JvmBrokerLauncher.SHARED_FLAGS);
            command.add("-Dlogback.configurationFile=bench-logback.xml"); // logging only
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(PahoKafkaBridgeMain.class.getName());
            command.addAll(List.of("--mqtt", "tcp://" + RunningBroker.HOST + ":" + broker.port(),
                    "--filter", "bench/+/telemetry",
                    "--brokers", bootstrapServers,
                    "--topic", kafkaTopic,
                    "--client-id", "camel-bridge-" + Long.toString(System.nanoTime() & 0xFFFFFF, 36),
                    "--exit-on-stdin-eof"));
            bridge = ChildProcess.start("bridge", command, workDir.resolve("bridge.log"), pidDir.resolve("bridge.pid"),
                    PahoKafkaBridgeMain.READY_PREFIX, Duration.ofSeconds(60));
        } catch (IOException | InterruptedException | RuntimeException e) {
            broker.close();
            throw e;
        }
        return new RunningBridge() {
            @Override
            public int mqttPort() {
                return broker.port();
            }

            @Override
            public Map<String, Long> processes() {
                Map<String, Long> processes = new LinkedHashMap<>();
                processes.put("Mosquitto", broker.pid());
                processes.put("Camel bridge JVM", bridge.pid());
                return processes;
            }

            @Override
            public boolean isAlive() {
                return broker.isAlive() && bridge.isAlive();
            }

            @Override
            public String death() {
                List<String> deaths = new ArrayList<>();
                if (!broker.isAlive()) {
                    deaths.add("Mosquitto exited with code " + broker.exitCode().orElse(-1) + "; last log lines: "
                            + broker.logTail(3).replace("\n", " ⏎ "));
                }
                if (!bridge.isAlive()) {
                    deaths.add("the Camel bridge exited with code " + bridge.exitCode().orElse(-1)
                            + "; last log lines: " + bridge.logTail(3).replace("\n", " ⏎ "));
                }
                return deaths.isEmpty() ? null : String.join("; ", deaths);
            }

            @Override
            public void close() {
                // The bridge first, so that it does not log a storm of reconnection attempts.
                bridge.close();
                broker.close();
            }
        };
    }
}
