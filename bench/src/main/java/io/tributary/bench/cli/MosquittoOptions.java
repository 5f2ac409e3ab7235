package io.tributary.bench.cli;

import io.tributary.bench.server.MosquittoLauncher;
import io.tributary.bench.server.TributaryServer;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How the Mosquitto baseline is configured, the same in {@code compare} and {@code kafka}. */
final class MosquittoOptions {

    @Option(names = "--max-queued", defaultValue = "100000", paramLabel = "N",
            description = "Mosquitto max_queued_messages (and HiveMQ CE max-queue-size)")
    int maxQueued;

    @Option(names = {"--broker-inflight", "--mosquitto-inflight"}, paramLabel = "N",
            description = "Mosquitto max_inflight_messages, default Tributary's maxInFlight; when given, Tributary's "
                    + "broker gets the same maxInFlight")
    Integer inflight;

    MosquittoLauncher launcher(Path binary) {
        return new MosquittoLauncher(binary, maxQueued, BrokerLoadOptions.or(inflight, TributaryServer.maxInFlight()));
    }
}
