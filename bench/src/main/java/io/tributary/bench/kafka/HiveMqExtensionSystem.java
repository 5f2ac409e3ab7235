package io.tributary.bench.kafka;

import io.tributary.bench.server.HiveMqExtensionLauncher;
import io.tributary.bench.server.RunningBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Tributary's route inside HiveMQ CE (issue 16): HiveMQ CE with the extension from its zip, running the same route as
 * {@link TributarySystem} ({@code bench/{publisher}/telemetry} → the Kafka topic, keyed by the publisher, producer
 * defaults). The extension holds each QoS 1 publish until Kafka acknowledged the record, so HiveMQ sends the PUBACK
 * only then; HiveMQ holds one publish per client at a time while it waits. Immutable; each start is a fresh HiveMQ.
 */
public final class HiveMqExtensionSystem implements BridgeSystem {

    private final Path extensionTarget;
    private final String connectionExtra;
    private final long maxQueued;

    /**
     * @param extensionTarget the hivemq-extension module's {@code target} folder after {@code mvn package}
     * @param connectionExtra more keys of the Kafka connection, as for {@link TributarySystem}; empty for none
     * @param maxQueued HiveMQ's max-queue-size
     */
    public HiveMqExtensionSystem(Path extensionTarget, String connectionExtra, long maxQueued) {
        this.extensionTarget = extensionTarget;
        this.connectionExtra = connectionExtra.strip();
        this.maxQueued = maxQueued;
    }

    @Override
    public String id() {
        return HiveMqExtensionLauncher.ID;
    }

    @Override
    public String displayName() {
        return HiveMqExtensionLauncher.DISPLAY_NAME;
    }

    @Override
    public String settings() {
        return launcher("", "").settings() + "; the extension's tributary.yaml has the route of Tributary's "
                + "(`from: { mqtt: \"bench/{publisher}/telemetry\" }` → `to: { kafka: { connection: main, topic: T, "
                + "key: \"{publisher}\" } }`, producer acks=all, idempotent, linger.ms 0; PUBACK after Kafka's "
                + "acknowledgement, hivemq.hold-timeout default 10m)"
                + (connectionExtra.isEmpty() ? "" : "; Kafka connection: `" + connectionExtra + "`");
    }

    @Override
    public RunningBridge start(Path workDir, Path pidDir, String bootstrapServers, String kafkaTopic)
            throws IOException, InterruptedException {
        RunningBroker hivemq = RunningBroker.start(launcher(bootstrapServers, kafkaTopic), workDir,
                pidDir.resolve(id() + ".pid"), Duration.ofSeconds(90));
        return new RunningBridge(hivemq.port(), List.of(new RunningBridge.Part("HiveMQ CE JVM", "HiveMQ CE", hivemq)));
    }

    private HiveMqExtensionLauncher launcher(String bootstrapServers, String kafkaTopic) {
        return new HiveMqExtensionLauncher(extensionTarget, "# Written by the Tributary benchmark (BenchMain kafka) "
                + "for one run.\n" + TributarySystem.routes(bootstrapServers, kafkaTopic, connectionExtra), maxQueued);
    }
}
