package io.tributary.broker.persistence;

import java.io.IOException;

/**
 * How the broker keeps its state across a restart: {@link JournalPersistence} writes it as it changes (the
 * configured store, crash-safe); {@link StatePersistence} saves it at the stop through a
 * {@link io.tributary.broker.BrokerStateStore} given in code. The broker calls {@link #restore()} once before
 * any listener accepts a connection, {@link #save()} once every connection closed, then {@link #close()}.
 */
public interface BrokerPersistence {

    /** Puts the kept state back. @throws IOException if it cannot be read: the broker must not start then */
    void restore() throws IOException;

    /** True once {@link #restore()} succeeded: only then may the broker take publishes or save. */
    boolean restored();

    /** Called once the broker stopped and every connection closed. */
    void save() throws IOException;

    /** Releases the storage. */
    void close() throws IOException;
}
