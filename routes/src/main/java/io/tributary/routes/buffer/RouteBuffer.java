package io.tributary.routes.buffer;

import io.tributary.bridge.camel.MessageBuffer;
import io.tributary.bridge.config.BufferSettings;
import io.tributary.broker.Message;
import io.tributary.broker.PublishRejectedException;
import io.tributary.broker.QoS;
import io.tributary.store.RocksStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One route's durable buffer ({@code ack: buffer}): a message offered by the broker is written to the store, and
 * its publisher acknowledged once it is fsynced; a forwarder then hands the stored messages to the route and
 * deletes each once the route is done with it (the sink or the dead-letter destination has it).
 *
 * <p>Order: each publisher's messages go to the route in the order they were stored, at most
 * {@code publisher-window} at a time (1 by default). With 1, a publisher's messages reach the sink in the order
 * published through every retry: the next waits for the one being retried. Across publishers up to
 * {@value #FORWARD_WINDOW} messages are in the route at once, which keeps a Kafka producer's batches full. A
 * message that fails past the route's retries with no dead-letter destination stays, and is tried again after
 * the route's {@code max-backoff}; its publisher's later messages wait behind it.
 *
 * <p>Memory: the forwarder reads at most {@value #READ_AHEAD} messages (or {@value #READ_AHEAD_BYTES} bytes)
 * ahead from disk; the rest of the buffer stays on disk. When the buffer is full, QoS 1/2 messages wait in
 * memory for room ({@code hold}), bounded by the subscription's in-flight limit, past which the broker stops
 * acknowledging the publishers; or are refused ({@code refuse}).
 *
 * <p>Concurrency: the state is guarded by this object's monitor, held for short steps; the store's writes and
 * the route's deliveries are started outside it, except the puts, which must be queued in sequence order. The
 * store's writer thread never takes the monitor, so a put waiting for room in the store's queue cannot stall it.
 */
final class RouteBuffer implements MessageBuffer {

    private static final Logger LOG = LoggerFactory.getLogger(RouteBuffer.class);
    static final int FORWARD_WINDOW = 500;
    static final int READ_AHEAD = 2_000;
    static final long READ_AHEAD_BYTES = 16L << 20;
    private static final int QUOTA_EXCEEDED = 0x97;
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** A message read from the buffer and not yet acknowledged by the route. */
    private static final class Entry {
        final long sequence;
        final byte[] key;
        final Message message;
        final long size;
        final String publisher;

        Entry(long sequence, byte[] key, Message message, long size) {
            this.sequence = sequence;
            this.key = key;
            this.message = message;
            this.size = size;
            this.publisher = message.publisherId() == null ? "" : message.publisherId();
        }
    }

    /**
     * One publisher's loaded messages: those waiting to go to the route, in sequence order (a failed one goes
     * back to its place), and how many are in the route. Guarded by the buffer's monitor.
     */
    private static final class Lane {
        final String publisher;
        final TreeMap<Long, Entry> waiting = new TreeMap<>();
        int inFlight;
        /** Set after a failure past the route's retries, until the wait before the next round is over. */
        boolean pausedAfterFailure;
        boolean inReady;

        Lane(String publisher) {
            this.publisher = publisher;
        }

        boolean canSend(int window) {
            return !pausedAfterFailure && !waiting.isEmpty() && inFlight < window;
        }

        boolean idle() {
            return waiting.isEmpty() && inFlight == 0 && !pausedAfterFailure;
        }
    }

    /** A QoS 1/2 message waiting for room while the buffer is full ({@code when-full: hold}). */
    private record Held(Message message, byte[] value, CompletableFuture<Void> done) {
    }

    /** What a restart found in the buffer. */
    record Contents(long messages, long bytes, long firstSequence, long lastSequence, long oldestReceivedAt) {
        static final Contents EMPTY = new Contents(0, 0, 0, -1, 0);
    }

    private final String name;
    private final byte[] prefix;
    private final RocksStore store;
    private final ScheduledExecutorService forwarding;
    private final AtomicBoolean refillScheduled = new AtomicBoolean();
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder droppedQos0 = new LongAdder();
    private final LongAdder forwardFailures = new LongAdder();
    private volatile BufferSettings settings;
    private volatile Duration redeliveryWait;

    // Guarded by this.
    private long nextSequence;
    /** Messages stored (or being stored) and not yet acknowledged by the route, and their bytes. */
    private long depth;
    private long bytes;
    /** The first sequence number not read from disk yet; every unacknowledged message below it is in loaded. */
    private long loadFrom;
    private long oldestOnDisk;
    private final TreeMap<Long, Entry> loaded = new TreeMap<>();
    private long loadedBytes;
    private final Map<String, Lane> lanes = new HashMap<>();
    /** The lanes that may send a message to the route now, each once. */
    private final ArrayDeque<Lane> ready = new ArrayDeque<>();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private int inFlight;
    private Forwarder forwarder;
    private boolean closed;
    private long nextFullWarning;
    private long nextFailureWarning;

    RouteBuffer(String name, RocksStore store, ScheduledExecutorService forwarding, BufferSettings settings,
                Duration redeliveryWait, Contents contents) {
        this.name = name;
        this.prefix = BufferKeys.prefix(name);
        this.store = store;
        this.forwarding = forwarding;
        this.settings = settings;
        this.redeliveryWait = redeliveryWait;
        this.depth = contents.messages();
        this.bytes = contents.bytes();
        this.loadFrom = contents.messages() == 0 ? contents.lastSequence() + 1 : contents.firstSequence();
        this.nextSequence = contents.lastSequence() + 1;
        this.oldestOnDisk = contents.oldestReceivedAt();
    }

    @Override
    public String name() {
        return name;
    }

    /** Takes the bounds and the wait between rounds of retries of the route's current configuration. */
    void configure(BufferSettings bounds, Duration wait) {
        this.settings = bounds;
        this.redeliveryWait = wait;
        synchronized (this) {
            admitHeld();
        }
    }

    @Override
    public CompletionStage<Void> offer(Message message) {
        byte[] value = StoredMessage.encode(message);
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the buffer of " + name
                        + " is closed"));
            }
            if (held.isEmpty() && !full(value.length)) {
                return write(message, value);
            }
            if (message.qos() == QoS.AT_MOST_ONCE) {
                droppedQos0.increment();
                warnFull("QoS 0 messages are dropped and counted");
                return CompletableFuture.completedFuture(null);
            }
            if (settings.whenFull() == BufferSettings.WhenFull.REFUSE) {
                refused.increment();
                warnFull("QoS 1/2 messages are refused (MQTT 5: 0x97 quota exceeded)");
                return CompletableFuture.failedFuture(new PublishRejectedException(QUOTA_EXCEEDED,
                        "the buffer of route " + name + " is full"));
            }
            warnFull("QoS 1/2 publishers wait for their acknowledgements until there is room");
            Held waiting = new Held(message, value, new CompletableFuture<>());
            held.add(waiting);
            return waiting.done();
        }
    }

    /** Whether a message of {@code size} bytes does not fit now. At least one message always fits. */
    private boolean full(long size) {
        if (depth == 0) {
            return false;
        }
        BufferSettings bounds = settings;
        return depth + 1 > bounds.maxMessages() || bytes + size > bounds.maxBytes()
                || oldestAgeMillis(System.currentTimeMillis()) > bounds.maxAge().toMillis();
    }

    /**
     * Numbers the message and queues its write; must be called under the monitor so that sequence numbers are
     * written in order. The stage completes once the store has it (durably for QoS 1/2).
     */
    private CompletableFuture<Void> write(Message message, byte[] value) {
        long sequence = nextSequence++;
        depth++;
        bytes += value.length;
        byte[] key = BufferKeys.key(prefix, sequence);
        boolean qos0 = message.qos() == QoS.AT_MOST_ONCE;
        CompletableFuture<Void> written = qos0 ? store.putLazily(key, value) : store.put(key, value);
        CompletableFuture<Void> done = new CompletableFuture<>();
        // On the store's writer thread: nothing here takes the monitor.
        written.whenComplete((ok, failure) -> {
            if (failure == null) {
                done.complete(null);
                scheduleRefill();
            } else {
                done.completeExceptionally(failure);
                forwarding.execute(() -> unwritten(value.length));
            }
        });
        return qos0 ? CompletableFuture.completedFuture(null) : done;
    }

    private synchronized void unwritten(long size) {
        depth--;
        bytes -= size;
    }

    /** Writes the held messages that fit now, in the order they came; under the monitor. */
    private void admitHeld() {
        while (!held.isEmpty() && !closed && !full(held.peek().value().length)) {
            Held next = held.poll();
            write(next.message(), next.value()).whenComplete((ok, failure) -> {
                if (failure == null) {
                    next.done().complete(null);
                } else {
                    next.done().completeExceptionally(failure);
                }
            });
        }
    }

    @Override
    public void attach(Forwarder next) {
        synchronized (this) {
            forwarder = next;
        }
        schedulePump();
        scheduleRefill();
    }

    /**
     * Has the forwarding thread start what may go now. Only that thread hands messages to the route, so a
     * publisher's messages reach the route in their order even when several of them are on their way at once.
     */
    private void schedulePump() {
        if (pumpScheduled.compareAndSet(false, true)) {
            try {
                forwarding.execute(this::pump);
            } catch (RuntimeException stopped) {
                pumpScheduled.set(false);
            }
        }
    }

    private void pump() {
        pumpScheduled.set(false);
        List<Dispatch> start;
        synchronized (this) {
            start = takeReady();
        }
        dispatch(start);
    }

    @Override
    public synchronized void detach(Forwarder leaving) {
        if (forwarder == leaving) {
            forwarder = null;
        }
    }

    private void scheduleRefill() {
        if (refillScheduled.compareAndSet(false, true)) {
            try {
                forwarding.execute(this::refill);
            } catch (RuntimeException stopped) {
                refillScheduled.set(false);
            }
        }
    }

    /** Reads the next stored messages into memory, up to the read-ahead, and starts those that may go. */
    private void refill() {
        refillScheduled.set(false);
        long from;
        int room;
        synchronized (this) {
            room = READ_AHEAD - loaded.size();
            if (closed || forwarder == null || room <= 0 || loadedBytes >= READ_AHEAD_BYTES
                    || loadFrom >= nextSequence) {
                return;
            }
            from = loadFrom;
        }
        List<Entry> read = new ArrayList<>();
        List<byte[]> damaged = new ArrayList<>();
        long[] readBytes = {0};
        try {
            store.scan(prefix, BufferKeys.key(prefix, from), (key, value) -> {
                try {
                    read.add(new Entry(BufferKeys.sequence(key), key, StoredMessage.decode(value), value.length));
                } catch (IOException e) {
                    LOG.error("Route {}: buffered message {} cannot be read ({}); it is removed from the buffer",
                            name, BufferKeys.sequence(key), e.getMessage());
                    damaged.add(key);
                }
                readBytes[0] += value.length;
                return read.size() + damaged.size() < room && readBytes[0] < READ_AHEAD_BYTES;
            });
        } catch (IOException e) {
            LOG.error("Route {}: cannot read its buffer: {}; trying again in {}", name, e.getMessage(),
                    redeliveryWait);
            forwarding.schedule(this::scheduleRefill, redeliveryWait.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        List<Dispatch> start;
        boolean more;
        synchronized (this) {
            for (Entry entry : read) {
                if (entry.sequence < loadFrom) {
                    continue;
                }
                loaded.put(entry.sequence, entry);
                loadedBytes += entry.size;
                Lane lane = lanes.computeIfAbsent(entry.publisher, Lane::new);
                lane.waiting.put(entry.sequence, entry);
                markReady(lane);
                loadFrom = entry.sequence + 1;
            }
            for (byte[] key : damaged) {
                long sequence = BufferKeys.sequence(key);
                if (sequence >= loadFrom) {
                    loadFrom = sequence + 1;
                    depth--;
                }
            }
            start = takeReady();
            more = !read.isEmpty() && loadFrom < nextSequence && loaded.size() < READ_AHEAD;
        }
        damaged.forEach(store::deleteLazily);
        dispatch(start);
        if (more) {
            scheduleRefill();
        }
    }

    /** A message on its way to the route, and the forwarder it goes through. */
    private record Dispatch(Entry entry, Forwarder to) {
    }

    /** Queues {@code lane} as ready if it can send; under the monitor. */
    private void markReady(Lane lane) {
        if (!lane.inReady && lane.canSend(settings.publisherWindow())) {
            lane.inReady = true;
            ready.add(lane);
        }
    }

    /** Takes the messages the windows have room for, in each publisher's order; under the monitor. */
    private List<Dispatch> takeReady() {
        if (forwarder == null || closed) {
            return List.of();
        }
        int window = settings.publisherWindow();
        List<Dispatch> start = new ArrayList<>();
        while (inFlight < FORWARD_WINDOW && !ready.isEmpty()) {
            Lane lane = ready.poll();
            lane.inReady = false;
            while (inFlight < FORWARD_WINDOW && lane.canSend(window)) {
                Entry entry = lane.waiting.pollFirstEntry().getValue();
                lane.inFlight++;
                inFlight++;
                start.add(new Dispatch(entry, forwarder));
            }
            if (lane.canSend(window)) {
                lane.inReady = true;
                ready.addFirst(lane);
            }
        }
        return start;
    }

    /**
     * Hands messages to the route: on the forwarding thread (see {@link #schedulePump}), or, with a
     * {@code publisher-window} of 1, also where a message completed.
     */
    private void dispatch(List<Dispatch> start) {
        for (Dispatch dispatch : start) {
            CompletionStage<Void> done;
            try {
                done = dispatch.to().forward(dispatch.entry().message);
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e);
            }
            done.whenComplete((ok, failure) -> forwarded(dispatch, failure));
        }
    }

    /** The route is done with a message: delete it and start the next; or, failed, try it again later. */
    private void forwarded(Dispatch dispatch, Throwable failure) {
        Entry entry = dispatch.entry();
        boolean refill;
        Lane paused = null;
        List<Dispatch> start = List.of();
        synchronized (this) {
            inFlight--;
            if (closed) {
                return;
            }
            Lane lane = lanes.get(entry.publisher);
            lane.inFlight--;
            if (failure == null) {
                forwarded.increment();
                loaded.remove(entry.sequence);
                loadedBytes -= entry.size;
                depth--;
                bytes -= entry.size;
                if (depth == 0) {
                    oldestOnDisk = 0;
                }
                store.deleteLazily(entry.key);
            } else {
                // Back to its place: it goes before its publisher's later messages.
                lane.waiting.put(entry.sequence, entry);
                if (forwarder == null || forwarder == dispatch.to()) {
                    // A failure past the route's retries (a route that was replaced meanwhile is no failure).
                    forwardFailures.increment();
                    warnFailed(failure);
                    if (!lane.pausedAfterFailure) {
                        lane.pausedAfterFailure = true;
                        paused = lane;
                    }
                }
            }
            if (lane.idle()) {
                lanes.remove(entry.publisher);
            } else {
                markReady(lane);
            }
            admitHeld();
            refill = loaded.size() <= READ_AHEAD / 2 && loadFrom < nextSequence;
            if (settings.publisherWindow() == 1 && failure == null) {
                // One message per publisher: no two of a publisher's messages can race, so the next ones start
                // from here, saving the hop to the forwarding thread on every message.
                start = takeReady();
            }
        }
        if (paused != null) {
            Lane lane = paused;
            try {
                forwarding.schedule(() -> resume(lane), redeliveryWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException stopped) {
                return; // closing: the message stays in the buffer for the next start
            }
        }
        if (start.isEmpty()) {
            schedulePump();
        } else {
            dispatch(start);
        }
        if (refill) {
            scheduleRefill();
        }
    }

    /** The wait after a failure is over: the publisher's messages go again, the failed one first. */
    private void resume(Lane lane) {
        synchronized (this) {
            if (closed) {
                return;
            }
            lane.pausedAfterFailure = false;
            markReady(lane);
        }
        pump();
    }

    private void warnFull(String what) {
        long now = System.nanoTime();
        if (now - nextFullWarning >= 0) {
            nextFullWarning = now + WARN_INTERVAL_NANOS;
            LOG.warn("Route {}: its buffer is full ({} messages, {} bytes, the oldest {} s old; max-messages {}, "
                            + "max-bytes {}, max-age {} s): {} (logged at most every 30 s)",
                    name, depth, bytes, oldestAgeMillis(System.currentTimeMillis()) / 1000,
                    settings.maxMessages(), settings.maxBytes(), settings.maxAge().toSeconds(), what);
        }
    }

    private void warnFailed(Throwable failure) {
        long now = System.nanoTime();
        if (now - nextFailureWarning >= 0) {
            nextFailureWarning = now + WARN_INTERVAL_NANOS;
            Throwable cause = failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException
                    ? failure.getCause() : failure;
            LOG.warn("Route {}: a buffered message failed past the route's retries ({}); it stays in the buffer, "
                    + "its publisher's later messages wait behind it, and it is tried again in {} (logged at "
                    + "most every 30 s)", name, cause.getMessage(), redeliveryWait);
        }
    }

    /** How long the oldest message has waited, in milliseconds; 0 when the buffer is empty. */
    private long oldestAgeMillis(long now) {
        if (!loaded.isEmpty()) {
            return Math.max(0, now - loaded.firstEntry().getValue().message.receivedAtMillis());
        }
        return depth > 0 && oldestOnDisk > 0 ? Math.max(0, now - oldestOnDisk) : 0;
    }

    synchronized long depth() {
        return depth;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized double oldestAgeSeconds() {
        return oldestAgeMillis(System.currentTimeMillis()) / 1000.0;
    }

    synchronized int held() {
        return held.size();
    }

    long forwarded() {
        return forwarded.sum();
    }

    long refused() {
        return refused.sum();
    }

    long droppedQos0() {
        return droppedQos0.sum();
    }

    long forwardFailures() {
        return forwardFailures.sum();
    }

    BufferSettings settings() {
        return settings;
    }

    /**
     * The percent of its fullest bound the buffer uses, and which bound that is: what readiness reports.
     */
    synchronized Fill fill() {
        BufferSettings bounds = settings;
        double messages = 100.0 * depth / bounds.maxMessages();
        double size = 100.0 * bytes / bounds.maxBytes();
        double age = 100.0 * oldestAgeMillis(System.currentTimeMillis()) / bounds.maxAge().toMillis();
        if (messages >= size && messages >= age) {
            return new Fill(messages, "max-messages");
        }
        return size >= age ? new Fill(size, "max-bytes") : new Fill(age, "max-age");
    }

    /** How full a buffer is: {@code percent} of {@code bound}. */
    record Fill(double percent, String bound) {
    }

    /** Stops forwarding; held messages fail, so their publishers send them again after reconnecting. */
    void close() {
        List<Held> failed;
        synchronized (this) {
            closed = true;
            forwarder = null;
            failed = List.copyOf(held);
            held.clear();
        }
        failed.forEach(h -> h.done().completeExceptionally(new IllegalStateException("the buffer of " + name
                + " is closed")));
    }
}
