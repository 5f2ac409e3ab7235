package io.tributary.bench.kafka;

import io.tributary.bench.server.OwnedProcess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A started {@link BridgeSystem}: the processes it runs, each stopped by its own PID on {@link #close()}. */
public final class RunningBridge implements AutoCloseable {

    /**
     * One process of the system.
     *
     * @param name its name in the CPU figures, such as {@code Camel bridge JVM}
     * @param who how a note on its exit calls it, such as {@code the Camel bridge}
     */
    public record Part(String name, String who, OwnedProcess process) {
    }

    private final int mqttPort;
    private final List<Part> parts;

    /** @param parts its processes in the order they were started; they are stopped in the reverse order */
    public RunningBridge(int mqttPort, List<Part> parts) {
        this.mqttPort = mqttPort;
        this.parts = List.copyOf(parts);
    }

    /** The port of its MQTT listener on 127.0.0.1. */
    public int mqttPort() {
        return mqttPort;
    }

    /** Its processes by name (such as {@code Mosquitto}, {@code Camel bridge JVM}) with their PIDs, in start order. */
    public Map<String, Long> processes() {
        Map<String, Long> processes = new LinkedHashMap<>();
        parts.forEach(part -> processes.put(part.name(), part.process().pid()));
        return processes;
    }

    /** Whether every one of its processes is still running. */
    public boolean isAlive() {
        return parts.stream().allMatch(part -> part.process().isAlive());
    }

    /** What happened to the processes that are no longer running (exit code, last log lines), or null. */
    public String death() {
        List<String> deaths = new ArrayList<>();
        for (Part part : parts) {
            if (!part.process().isAlive()) {
                deaths.add(part.process().exitNote(part.who()));
            }
        }
        return deaths.isEmpty() ? null : String.join("; ", deaths);
    }

    /** Stops its processes, the last started first (a bridge before its broker: no storm of reconnections). */
    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            parts.get(i).process().close();
        }
    }
}
