package io.tributary.bench.offline;

import io.tributary.bench.load.LoadSettings;
import java.time.Duration;

/**
 * How the offline-sessions benchmark pushes: {@code publishers} publish QoS 1 as fast as their in-flight windows
 * allow to {@code bench/N}, and {@code sessions} persistent sessions subscribed to {@code bench/#} are offline the
 * whole time, so that every accepted message must be kept for them, on disk where the broker persists.
 *
 * @param load MQTT version, warm-up, measured window, drain timeout (how long the sessions may take to read their
 *     queues back afterwards), payload size, in-flight window and driver I/O threads
 * @param tributaryPersistence the value of Tributary's {@code broker.persistence}
 * @param maxQueued messages one session may queue, given to both brokers: above what a run accepts, so that
 *     neither drops for a full queue
 */
public record OfflineSettings(LoadSettings load, int publishers, int sessions, String tributaryPersistence,
                              int maxQueued) {

    public OfflineSettings {
        if (publishers < 1 || sessions < 1) {
            throw new IllegalArgumentException("at least one publisher and one offline session are needed");
        }
    }

    /** 4 publishers into 1 offline session, MQTT 5, 3 s warm-up, 10 s measured, 64-byte payloads, 64 in flight. */
    public static OfflineSettings standard() {
        return new OfflineSettings(new LoadSettings(5, Duration.ofSeconds(3), Duration.ofSeconds(10),
                Duration.ofSeconds(120), 64, 64, 0, 1), 4, 1, "sync", 5_000_000);
    }

    /** 1 s warm-up, 3 s measured: to see that it works, not for numbers to quote. */
    public static OfflineSettings quick() {
        OfflineSettings standard = standard();
        LoadSettings load = standard.load();
        return new OfflineSettings(new LoadSettings(load.mqttVersion(), Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofSeconds(60), load.payloadBytes(), load.inFlight(), 0, load.clientIoThreads()),
                standard.publishers(), standard.sessions(), standard.tributaryPersistence(), standard.maxQueued());
    }
}
