package io.tributary.broker.persistence;

import io.tributary.broker.RetainedStore;
import io.tributary.broker.delivery.PublishService;
import io.tributary.broker.session.SessionRegistry;
import io.tributary.broker.session.WillMessage;
import io.tributary.store.Durability;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The broker's state in a {@link BrokerStore}, written as it changes: opened and read back at the start, after which
 * the sessions and the publish path write to it; nothing is left to save at the stop.
 */
public final class JournalPersistence implements BrokerPersistence {
    private final Path directory;
    private final Durability durability;
    private final SessionRegistry sessions;
    private final RetainedStore retained;
    private final PublishService publishing;
    private final long maxSessionExpirySeconds;
    private final Consumer<WillMessage> willPublisher;
    private volatile BrokerStore store;
    private volatile boolean restored;

    /** @param syncInterval null: fsync before each acknowledgement that needs it (group commit) */
    public JournalPersistence(Path directory, Duration syncInterval, SessionRegistry sessions, RetainedStore retained,
                              PublishService publishing, long maxSessionExpirySeconds,
                              Consumer<WillMessage> willPublisher) {
        this.directory = directory;
        this.durability = syncInterval == null ? Durability.sync() : Durability.interval(syncInterval);
        this.sessions = sessions;
        this.retained = retained;
        this.publishing = publishing;
        this.maxSessionExpirySeconds = maxSessionExpirySeconds;
        this.willPublisher = willPublisher;
    }

    @Override
    public void restore() throws IOException {
        store = BrokerStore.open(directory, durability);
        sessions.journalTo(store);
        publishing.journalRetainedTo(store);
        store.restore(sessions, retained, maxSessionExpirySeconds, willPublisher);
        restored = true;
    }

    @Override
    public boolean restored() {
        return restored;
    }

    @Override
    public void save() {
        // Written as it changed.
    }

    @Override
    public void close() {
        BrokerStore open = store;
        if (open != null) {
            store = null;
            open.close();
        }
    }
}
