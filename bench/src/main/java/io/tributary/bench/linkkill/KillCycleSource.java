package io.tributary.bench.linkkill;

/**
 * The side under test in the kill cycles: a client of the external broker that subscribes to the stream at QoS 1,
 * persistent session, and hands every message to {@link Deliveries} before it acknowledges it.
 */
public interface KillCycleSource extends AutoCloseable {

    /** The {@code --client} name, such as {@code paho}. */
    String id();

    /** What runs, with the settings that matter, for the report. */
    String describe();

    /** Connects and subscribes to {@code filter} on the broker at 127.0.0.1:{@code port}. */
    void start(int port, String filter, Deliveries deliveries) throws Exception;

    /** Stops it; a client that hangs is abandoned, never waited on for long. */
    @Override
    void close();
}
