package io.tributary.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts Mosquitto with a generated configuration: one loopback listener, anonymous access, no persistence, a
 * per-client queue large enough that its default (1000 queued QoS 1 messages, beyond which it drops them) does not
 * decide the QoS 1 results by itself, and as many QoS 1 messages in flight to each client as Tributary allows (its
 * default of 20 would slow Mosquitto's deliveries to a busy subscriber for no reason of its own).
 */
public final class MosquittoLauncher implements BrokerLauncher {

    private final Path binary;
    private final int maxQueuedMessages;
    private final int maxInflightMessages;
    private final List<String> extraLines;

    public MosquittoLauncher(Path binary, int maxQueuedMessages, int maxInflightMessages) {
        this(binary, maxQueuedMessages, maxInflightMessages, List.of());
    }

    /** @param extraLines more configuration lines, such as {@code sys_interval 1}, named in {@link #settings} */
    public MosquittoLauncher(Path binary, int maxQueuedMessages, int maxInflightMessages, List<String> extraLines) {
        this.binary = binary;
        this.maxQueuedMessages = maxQueuedMessages;
        this.maxInflightMessages = maxInflightMessages;
        this.extraLines = List.copyOf(extraLines);
    }

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
        return "native, single-threaded; max_queued_messages " + maxQueuedMessages + ", max_inflight_messages "
                + maxInflightMessages + ", persistence false"
                + (extraLines.isEmpty() ? "" : ", " + String.join(", ", extraLines))
                + ", other settings default (set_tcp_nodelay false)";
    }

    @Override
    public List<String> command(int port, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path config = workDir.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n",
                "# Written by the Tributary benchmark for one broker run.",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "max_queued_messages " + maxQueuedMessages,
                "max_inflight_messages " + maxInflightMessages,
                "persistence false",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                "log_type notice",
                String.join("\n", extraLines),
                ""));
        return List.of(binary.toString(), "-c", config.toString());
    }
}
