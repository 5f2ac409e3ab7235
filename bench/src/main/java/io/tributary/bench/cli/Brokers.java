package io.tributary.bench.cli;

import io.tributary.bench.server.BrokerLauncher;
import io.tributary.bench.server.HiveMqCeServer;
import io.tributary.bench.server.JvmBrokerLauncher;
import io.tributary.bench.server.TributaryServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The brokers a run can start, by id: Tributary's own broker, Mosquitto and HiveMQ CE, each in its own process. */
final class Brokers {

    private Brokers() {
    }

    /**
     * @param tributaryName how reports call Tributary's broker in this run
     * @param mosquittoBinary the Mosquitto to run
     */
    static Map<String, BrokerLauncher> known(String tributaryName, MosquittoOptions mosquitto, Path mosquittoBinary) {
        Map<String, BrokerLauncher> known = new LinkedHashMap<>();
        // The window only when asked for: by default the broker under test runs with its own.
        known.put("tributary", new JvmBrokerLauncher("tributary", tributaryName, TributaryServer.class.getName(),
                JvmBrokerLauncher.SHARED_FLAGS, TributaryServer.settings()
                + (mosquitto.inflight == null ? "" : ", maxInFlight set to " + mosquitto.inflight),
                mosquitto.inflight == null ? List.of() : List.of(Integer.toString(mosquitto.inflight))));
        known.put("mosquitto", mosquitto.launcher(mosquittoBinary));
        known.put("hivemq", new JvmBrokerLauncher("hivemq", "HiveMQ CE", HiveMqCeServer.class.getName(),
                JvmBrokerLauncher.SHARED_FLAGS, "embedded edition 2025.5, in-memory persistence, max-queue-size "
                + mosquitto.maxQueued + " (strategy discard), other settings default",
                List.of(Integer.toString(mosquitto.maxQueued))));
        return known;
    }
}
