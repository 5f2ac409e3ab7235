package io.tributary.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes to a {@link RocksStore}: callers queue writes from any thread, it takes every write
 * queued meanwhile as one batch, writes it, fsyncs once if any of them asked to be durable (group commit), and
 * completes their futures in the order they were queued.
 *
 * <p>One writer keeps the order simple: a write queued after another is applied after it, so a delete never
 * overtakes the put it undoes, and a durable write made durable makes every earlier write durable too (the
 * write-ahead log is sequential).
 *
 * <p>The queue is bounded: when the disk falls that far behind, {@link #submit} waits for room, which holds back
 * whoever writes (their acknowledgements could not be given anyway) instead of buffering without end.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH_WRITES = 8192;
    private static final long MAX_BATCH_BYTES = 8L << 20;
    private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RocksDB db;
    private final Durability durability;
    private final String name;
    private final BlockingQueue<Write> queue;
    private final Thread thread;
    private final ExecutorService completer;
    private final WriteOptions syncWrite = new WriteOptions().setSync(true);
    private final WriteOptions plainWrite = new WriteOptions().setSync(false);
    private volatile boolean closing;
    private long nextFailureLog;
    private long lastSyncNanos = System.nanoTime();

    GroupCommitWriter(RocksDB db, Durability durability, String name, int capacity) {
        this.db = db;
        this.durability = durability;
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.completer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tributary-store-done-" + name);
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::run, "tributary-store-writer-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** One queued change: {@code value} null deletes {@code key}; {@code rangeEnd} not null deletes a range. */
    record Write(byte[] key, byte[] value, byte[] rangeEnd, boolean durable, CompletableFuture<Void> done) {
        long bytes() {
            return key.length + (value == null ? 0 : value.length) + (rangeEnd == null ? 0 : rangeEnd.length);
        }
    }

    /**
     * Queues {@code write}; waits while the queue is full.
     *
     * @throws IllegalStateException if the store is closed
     */
    void submit(Write write) {
        if (closing) {
            throw new IllegalStateException("the store " + name + " is closed");
        }
        try {
            queue.put(write);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            write.done().completeExceptionally(e);
        }
    }

    /** How many writes wait to be written. */
    int backlog() {
        return queue.size();
    }

    private void run() {
        List<Write> batch = new ArrayList<>(256);
        while (true) {
            Write first;
            try {
                first = durability.syncsEachWrite()
                        ? queue.poll(100, TimeUnit.MILLISECONDS)
                        : queue.poll(Math.max(1, durability.syncInterval().toMillis() / 4), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                syncIfDue();
                if (closing && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            batch.add(first);
            long bytes = first.bytes();
            while (batch.size() < MAX_BATCH_WRITES && bytes < MAX_BATCH_BYTES) {
                Write next = queue.poll();
                if (next == null) {
                    break;
                }
                batch.add(next);
                bytes += next.bytes();
            }
            write(batch);
            batch.clear();
            syncIfDue();
        }
    }

    private void write(List<Write> batch) {
        boolean sync = false;
        try (WriteBatch writes = new WriteBatch()) {
            for (Write w : batch) {
                if (w.rangeEnd() != null) {
                    writes.deleteRange(w.key(), w.rangeEnd());
                } else if (w.value() == null) {
                    writes.delete(w.key());
                } else {
                    writes.put(w.key(), w.value());
                }
                sync |= w.durable();
            }
            db.write(sync && durability.syncsEachWrite() ? syncWrite : plainWrite, writes);
        } catch (RocksDBException | RuntimeException e) {
            logFailure(e, batch.size());
            List<Write> failed = List.copyOf(batch);
            completer.execute(() -> failed.forEach(w -> w.done().completeExceptionally(new StoreWriteException(name, e))));
            return;
        }
        List<Write> written = List.copyOf(batch);
        // Completed on a thread of their own: what waits for a write (a publisher's acknowledgement, a Kafka
        // commit) may queue further writes, and the writer must never wait for room in its own queue.
        completer.execute(() -> written.forEach(w -> w.done().complete(null)));
    }

    /** With a sync interval, fsyncs the write-ahead log once the interval passed. */
    private void syncIfDue() {
        if (durability.syncsEachWrite()) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastSyncNanos >= durability.syncInterval().toNanos()) {
            lastSyncNanos = now;
            try {
                db.flushWal(true);
            } catch (RocksDBException e) {
                logFailure(e, 0);
            }
        }
    }

    private void logFailure(Exception e, int writes) {
        long now = System.nanoTime();
        if (now - nextFailureLog >= 0) {
            nextFailureLog = now + FAILURE_LOG_INTERVAL_NANOS;
            log.error("the store {} cannot write ({} changes refused; their acknowledgements are not given): {}",
                    name, writes, e.getMessage());
        }
    }

    /** Writes what is queued, fsyncs, and stops the thread. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join();
            db.flushWal(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RocksDBException e) {
            log.warn("the store {} could not sync at close: {}", name, e.getMessage());
        } finally {
            completer.shutdown();
            syncWrite.close();
            plainWrite.close();
        }
    }
}
