package io.tributary.bench.kafka;

import java.util.Map;

/** A started {@link BridgeSystem}: the processes it runs, each stopped by its own PID on {@link #close()}. */
public interface RunningBridge extends AutoCloseable {

    /** The port of its MQTT listener on 127.0.0.1. */
    int mqttPort();

    /** Its processes by name (such as {@code Mosquitto}, {@code bridge JVM}) with their PIDs, in a fixed order. */
    Map<String, Long> processes();

    /** Whether every one of its processes is still running. */
    boolean isAlive();

    /** What happened to a process that is no longer running (exit code, last log lines), or null. */
    String death();

    @Override
    void close();
}
