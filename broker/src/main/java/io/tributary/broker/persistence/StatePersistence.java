package io.tributary.broker.persistence;

import io.tributary.broker.BrokerState;
import io.tributary.broker.BrokerStateStore;
import io.tributary.broker.Message;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.session.SessionRegistry;
import io.tributary.broker.session.WillMessage;
import io.tributary.broker.topic.TopicName;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores the broker's sessions and retained messages from a {@link BrokerStateStore} when it starts, and
 * saves them when it stops. Not thread-safe: the broker calls it from start and stop only, while no client
 * is connected.
 */
public final class StatePersistence implements BrokerPersistence {
    private static final Logger log = LoggerFactory.getLogger(StatePersistence.class);

    private final BrokerStateStore store;
    private final SessionRegistry sessions;
    private final RetainedStore retained;
    private final long maxSessionExpirySeconds;
    private final Consumer<WillMessage> willPublisher;
    private volatile boolean restored;

    public StatePersistence(BrokerStateStore store, SessionRegistry sessions, RetainedStore retained,
                            long maxSessionExpirySeconds, Consumer<WillMessage> willPublisher) {
        this.store = store;
        this.sessions = sessions;
        this.retained = retained;
        this.maxSessionExpirySeconds = maxSessionExpirySeconds;
        this.willPublisher = willPublisher;
    }

    /**
     * Loads the saved state and puts it back: retained messages, then sessions, then the wills that fell due
     * while the broker was down (published last, so that restored sessions receive them).
     *
     * @throws IOException if the state cannot be loaded or is not valid; the broker must not start then
     */
    @Override
    public void restore() throws IOException {
        long started = System.nanoTime();
        Optional<BrokerState> loaded = store.load();
        if (loaded.isEmpty()) {
            log.info("no saved broker state in {}: starting without sessions or retained messages", store);
            restored = true;
            return;
        }
        BrokerState state = loaded.get();
        long now = System.currentTimeMillis();
        int retainedCount = 0;
        int overLimits = 0;
        for (Message message : state.retained()) {
            if (!message.isExpiredAt(now)) {
                if (retained.put(message)) {
                    retainedCount++;
                } else {
                    overLimits++;
                }
            }
        }
        if (overLimits > 0) {
            log.warn("{} saved retained messages were not restored: the retained store is at max-retained-messages"
                    + " or max-retained-bytes", overLimits);
        }
        List<WillMessage> due;
        try {
            due = sessions.restore(state.sessions(), now, maxSessionExpirySeconds);
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot restore the broker state from " + store + ": " + e.getMessage(), e);
        }
        due.forEach(willPublisher);
        restored = true;
        int sessionCount = sessions.size();
        log.info("restored {} sessions and {} retained messages from {} in {} ms; {} sessions expired and {} wills"
                        + " fell due while the broker was down", sessionCount, retainedCount, store,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), state.sessions().size() - sessionCount,
                due.size());
    }

    /** True once {@link #restore()} succeeded: only then may {@link #save()} replace what was saved before. */
    @Override
    public boolean restored() {
        return restored;
    }

    /** Saves the state; called once every connection closed and the I/O threads stopped. */
    @Override
    public void save() throws IOException {
        long started = System.nanoTime();
        long now = System.currentTimeMillis();
        // $SYS values describe the broker that stops; the next one publishes its own.
        List<Message> keep = retained.all().stream()
                .filter(m -> !TopicName.isSys(m.topic()) && !m.isExpiredAt(now))
                .toList();
        BrokerState state = new BrokerState(now, keep, sessions.snapshot(now));
        store.save(state);
        log.info("saved {} sessions and {} retained messages to {} in {} ms", state.sessions().size(), keep.size(),
                store, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Releases the store. */
    @Override
    public void close() throws IOException {
        store.close();
    }
}
