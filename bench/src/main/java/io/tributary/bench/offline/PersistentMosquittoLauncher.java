package io.tributary.bench.offline;

import io.tributary.bench.server.BrokerLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Mosquitto with its persistence on: {@code persistence true} and {@code autosave_interval 1}, so that its
 * in-memory database is written to {@code mosquitto.db} every second (what it can keep through a crash), queues as
 * large as Tributary's and the same in-flight window.
 */
record PersistentMosquittoLauncher(Path binary, int maxQueuedMessages, int maxInflightMessages)
        implements BrokerLauncher {

    @Override
    public String id() {
        return "mosquitto";
    }

    @Override
    public String displayName() {
        return "Mosquitto";
    }

    @Override
    public String settings() {
        return "native, single-threaded; persistence true, autosave_interval 1 (the whole database written every "
                + "second), max_queued_messages " + maxQueuedMessages + ", max_queued_bytes 0 (no limit), "
                + "max_inflight_messages " + maxInflightMessages + ", other settings default";
    }

    @Override
    public List<String> command(int port, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path config = workDir.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n",
                "# Written by the Tributary benchmark for one broker run.",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                // Started as root, Mosquitto drops to the user 'mosquitto', which may not write the work folder.
                "user " + System.getProperty("user.name"),
                "persistence true",
                "persistence_location " + workDir.toAbsolutePath() + "/",
                "autosave_interval 1",
                "max_queued_messages " + maxQueuedMessages,
                "max_queued_bytes 0",
                "max_inflight_messages " + maxInflightMessages,
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                "log_type notice",
                ""));
        return List.of(binary.toString(), "-c", config.toString());
    }
}
