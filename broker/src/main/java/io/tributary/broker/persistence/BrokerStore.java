package io.tributary.broker.persistence;

import io.tributary.broker.BrokerState;
import io.tributary.broker.Message;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.delivery.RetainedJournal;
import io.tributary.broker.session.Session;
import io.tributary.broker.session.SessionJournal;
import io.tributary.broker.session.SessionRegistry;
import io.tributary.broker.session.WillMessage;
import io.tributary.broker.topic.TopicName;
import io.tributary.storage.OwnerOnlyFiles;
import io.tributary.store.Durability;
import io.tributary.store.RocksStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's crash-safe state: persistent sessions and retained messages written to a {@link RocksStore} as they
 * change (key layout: {@link StoreKeys}), and read back when the broker starts. What an acknowledgement promises
 * ({@link SessionJournal#append}, {@link SessionJournal#acceptInboundQos2}, {@link #retain}) completes once durable
 * as the {@link Durability} says; what only repeats work if lost (a message sent or acknowledged) is written lazily.
 *
 * <p>Concurrency: every method may be called from any thread; the store orders the writes.
 */
public final class BrokerStore implements SessionJournal, RetainedJournal, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerStore.class);

    private final RocksStore store;

    private BrokerStore(RocksStore store) {
        this.store = store;
    }

    /**
     * Opens the store in {@code directory}; a snapshot left there by a Tributary that saved its state only at a
     * graceful stop is imported first, then renamed so it is never imported twice.
     *
     * @throws IOException if the store cannot be opened (in use, damaged) or the snapshot cannot be read
     */
    public static BrokerStore open(Path directory, Durability durability) throws IOException {
        OwnerOnlyFiles.createDirectories(directory); // sessions and retained messages are the devices' data
        Path snapshot = directory.resolve(FileStateStore.FILE_NAME);
        BrokerState old = null;
        if (Files.exists(snapshot)) {
            try (FileStateStore file = new FileStateStore(directory)) {
                old = file.load().orElse(null);
            }
        }
        BrokerStore opened = new BrokerStore(RocksStore.open(directory, durability));
        if (old != null) {
            try {
                opened.importSnapshot(old);
                Files.move(snapshot, directory.resolve(FileStateStore.FILE_NAME + ".imported"));
            } catch (IOException | RuntimeException e) {
                opened.close();
                throw new IOException("cannot import " + snapshot + " into the store: " + e.getMessage(), e);
            }
            log.info("imported {} sessions and {} retained messages from {}", old.sessions().size(),
                    old.retained().size(), snapshot);
        }
        return opened;
    }

    private void importSnapshot(BrokerState state) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        state.retained().forEach(message -> writes.add(retain(message)));
        for (BrokerState.SessionState session : state.sessions()) {
            String clientId = session.clientId();
            saveSession(session);
            long seq = 1;
            for (BrokerState.InFlightDelivery sent : session.inFlight()) {
                OutboundMessage message = OutboundMessage.of(sent.delivery());
                writes.add(store.put(StoreKeys.queued(clientId, seq++), StoreRecords.queued(message, sent.packetId(),
                        sent.pubrecReceived())));
            }
            for (BrokerState.Delivery waiting : session.queued()) {
                writes.add(append(clientId, seq++, OutboundMessage.of(waiting)));
            }
            session.inboundQos2PacketIds().forEach(packetId -> writes.add(acceptInboundQos2(clientId, packetId)));
        }
        CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).join();
    }

    /**
     * Reads the state back and puts it in place: retained messages, then sessions (their queued messages stay on
     * disk, counted, until their clients drain them), then the wills that fell due while the broker was down.
     * Called once, before any listener accepts a connection; the sessions then write to this store.
     *
     * @throws IOException if a record cannot be read: the broker must not start then
     */
    public void restore(SessionRegistry sessions, RetainedStore retained, long maxSessionExpirySeconds,
                        Consumer<WillMessage> willPublisher) throws IOException {
        long started = System.nanoTime();
        long now = System.currentTimeMillis();
        int[] retainedCount = new int[2];
        store.scan(StoreKeys.kind(StoreKeys.RETAINED), (key, value) -> {
            Message message = decode(key, () -> StoreRecords.readMessage(value));
            if (message.isExpiredAt(now)) {
                store.deleteLazily(key);
            } else if (retained.put(message)) {
                retainedCount[0]++;
            } else {
                retainedCount[1]++;
            }
            return true;
        });
        if (retainedCount[1] > 0) {
            log.warn("{} stored retained messages were not restored: the retained store is at max-retained-messages"
                    + " or max-retained-bytes", retainedCount[1]);
        }
        Map<String, BrokerState.SessionState> described = new HashMap<>();
        store.scan(StoreKeys.kind(StoreKeys.SESSION), (key, value) -> {
            BrokerState.SessionState session = decode(key, () -> StoreRecords.readSession(value));
            described.put(session.clientId(), session);
            return true;
        });
        Map<String, List<Integer>> accepted = new HashMap<>();
        store.scan(StoreKeys.kind(StoreKeys.INBOUND), (key, value) -> {
            accepted.computeIfAbsent(StoreKeys.clientId(key), id -> new ArrayList<>()).add(StoreKeys.packetId(key));
            return true;
        });
        Map<String, QueueScan> queues = new HashMap<>();
        long[] queuedTotal = new long[1];
        store.scan(StoreKeys.kind(StoreKeys.QUEUED), (key, value) -> {
            QueueScan queue = queues.computeIfAbsent(StoreKeys.clientId(key), id -> new QueueScan());
            long seq = StoreKeys.seq(key);
            queue.nextSeq = Math.max(queue.nextSeq, seq + 1);
            if (decode(key, () -> StoreRecords.packetIdOf(value)) != 0) {
                StoreRecords.Queued sent = decode(key, () -> StoreRecords.readQueued(value));
                queue.inFlight.add(new Session.JournaledInFlight(seq, sent.packetId(), sent.released(), sent.message()));
            } else if (decode(key, () -> StoreRecords.expiresAtOf(value)) <= now) {
                store.deleteLazily(key); // expired while the broker was down [MQTT-3.3.2-5]
            } else {
                if (queue.count == 0) {
                    queue.from = seq;
                }
                queue.to = seq + 1;
                queue.count++;
                queue.bytes += decode(key, () -> StoreRecords.sizeOf(value));
                queuedTotal[0]++;
            }
            return true;
        });
        List<SessionRegistry.JournaledSession> restored = new ArrayList<>(described.size());
        for (BrokerState.SessionState session : described.values()) {
            QueueScan queue = queues.getOrDefault(session.clientId(), new QueueScan());
            restored.add(new SessionRegistry.JournaledSession(session, new SessionRegistry.Journaled(queue.inFlight,
                    accepted.getOrDefault(session.clientId(), List.of()), queue.from, queue.to, queue.count,
                    queue.bytes, queue.nextSeq)));
        }
        // Records of a session without a description were left by one that ended as the broker stopped.
        queues.keySet().stream().filter(id -> !described.containsKey(id)).forEach(this::endSession);
        accepted.keySet().stream().filter(id -> !described.containsKey(id) && !queues.containsKey(id))
                .forEach(this::endSession);
        List<WillMessage> due;
        try {
            due = sessions.restoreJournaled(restored, now, maxSessionExpirySeconds);
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot restore the broker state from " + store + ": " + e.getMessage(), e);
        }
        due.forEach(willPublisher);
        log.info("restored {} sessions ({} queued messages) and {} retained messages from {} in {} ms; {} sessions"
                        + " expired and {} wills fell due while the broker was down", sessions.size(), queuedTotal[0],
                retainedCount[0], store, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                described.size() - sessions.size(), due.size());
    }

    /** What a scan of one session's messages found. */
    private static final class QueueScan {
        final List<Session.JournaledInFlight> inFlight = new ArrayList<>();
        long from;
        long to;
        int count;
        long bytes;
        long nextSeq = 1;
    }

    private interface Decoding<T> {
        T decode() throws IOException;
    }

    private <T> T decode(byte[] key, Decoding<T> decoding) throws IOException {
        try {
            return decoding.decode();
        } catch (IOException | RuntimeException e) {
            throw new IOException("a damaged record (kind '" + (char) key[0] + "') in the store " + store + ": "
                    + e.getMessage() + ". Nothing was changed; move the directory away to start empty", e);
        }
    }

    @Override
    public void saveSession(BrokerState.SessionState description) {
        store.put(StoreKeys.session(description.clientId()), StoreRecords.session(description));
    }

    @Override
    public void endSession(String clientId) {
        store.delete(StoreKeys.session(clientId));
        for (byte kind : new byte[] {StoreKeys.QUEUED, StoreKeys.INBOUND}) {
            byte[] prefix = StoreKeys.clientPrefix(kind, clientId);
            store.deleteRange(prefix, RocksStore.prefixEnd(prefix));
        }
    }

    @Override
    public CompletableFuture<Void> append(String clientId, long seq, OutboundMessage message) {
        return store.put(StoreKeys.queued(clientId, seq), StoreRecords.queued(message, 0, false));
    }

    @Override
    public CompletableFuture<Void> sent(String clientId, long seq, OutboundMessage message, int packetId,
                                        boolean released, boolean durable) {
        byte[] key = StoreKeys.queued(clientId, seq);
        byte[] value = StoreRecords.queued(message, packetId, released);
        return durable ? store.put(key, value) : store.putLazily(key, value);
    }

    @Override
    public void remove(String clientId, long seq) {
        store.deleteLazily(StoreKeys.queued(clientId, seq));
    }

    @Override
    public OutboundMessage read(String clientId, long seq) {
        try {
            byte[] value = store.get(StoreKeys.queued(clientId, seq));
            if (value == null || StoreRecords.packetIdOf(value) != 0) {
                return null;
            }
            return StoreRecords.readQueued(value).message();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public CompletableFuture<Void> acceptInboundQos2(String clientId, int packetId) {
        return store.put(StoreKeys.inbound(clientId, packetId), new byte[0]);
    }

    @Override
    public void releaseInboundQos2(String clientId, int packetId) {
        store.deleteLazily(StoreKeys.inbound(clientId, packetId));
    }

    @Override
    public CompletableFuture<Void> retain(Message message) {
        if (TopicName.isSys(message.topic())) {
            return CompletableFuture.completedFuture(null); // the broker's own: published afresh at each start
        }
        return store.put(StoreKeys.retained(message.topic()), StoreRecords.message(message));
    }

    @Override
    public CompletableFuture<Void> clearRetained(String topic) {
        if (TopicName.isSys(topic)) {
            return CompletableFuture.completedFuture(null);
        }
        return store.delete(StoreKeys.retained(topic));
    }

    /** Writes what is queued, fsyncs it and closes the store. */
    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return store.toString();
    }
}
