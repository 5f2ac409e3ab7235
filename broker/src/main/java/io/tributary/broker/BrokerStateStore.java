package io.tributary.broker;

import java.io.IOException;
import java.util.Optional;

/**
 * Keeps the broker's state across a graceful restart: the broker loads it when it starts, before any
 * listener accepts a connection, and saves it when it stops, after every connection closed.
 *
 * <p>One interface for sessions and retained messages, not one per kind: both are taken at the same instant
 * of the stop, and a store should be able to write them as one unit (the file store writes one file and
 * replaces the previous one atomically), so that a crash during the save leaves the previous state whole
 * instead of new sessions next to old retained messages. {@link RetainedStore} stays the interface for a
 * store that keeps retained messages on every change.
 *
 * <p>Without a store (the default), everything lives in memory and a restart loses it. The broker calls
 * {@link #load()} once, then {@link #save} at most once, then {@link #close()}, never two at a time.
 */
public interface BrokerStateStore extends AutoCloseable {

    /**
     * The state saved last, or empty if none was ever saved. A store may take ownership of its storage here
     * (the file store locks its directory, so that two brokers never share it).
     *
     * @throws IOException if a saved state exists but cannot be read, or is of an unknown version: the broker
     *     then refuses to start rather than start empty and overwrite it. The message names what failed.
     */
    Optional<BrokerState> load() throws IOException;

    /**
     * Saves {@code state}, replacing the previous one only once the new one is complete and durable.
     *
     * @throws IOException if it could not be saved; the previous state must then still be loadable
     */
    void save(BrokerState state) throws IOException;

    /** Releases what {@link #load()} took. Called when the broker stopped, and when it failed to start. */
    @Override
    default void close() throws IOException {
    }
}
