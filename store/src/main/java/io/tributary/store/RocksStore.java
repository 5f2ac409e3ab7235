package io.tributary.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WALRecoveryMode;

/**
 * An ordered, crash-safe key-value store in one directory, on RocksDB: what the broker keeps its sessions and
 * retained messages in, and a route its buffer. Reads go straight to RocksDB from any thread; changes go through
 * one writer thread ({@link GroupCommitWriter}) that batches them and fsyncs once per batch.
 *
 * <p>A change made with a {@code durable} method completes when it is as durable as {@link Durability} says; the
 * {@code lazy} ones complete once written, and become durable with the next durable change or sync: for changes
 * whose loss in a machine crash only repeats work (a message deleted after its acknowledgement comes back as a
 * duplicate), never loses any.
 *
 * <p>Recovery: after a crash, RocksDB replays its write-ahead log; a record torn by the crash at the log's end
 * is dropped, damage elsewhere fails {@link #open} with RocksDB's message and changes no file. Two processes
 * never share a directory: the second {@link #open} fails.
 */
public final class RocksStore implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private static final int WRITE_QUEUE_CAPACITY = 65_536;

    private final Path directory;
    private final Options options;
    private final RocksDB db;
    private final GroupCommitWriter writer;

    private RocksStore(Path directory, Options options, RocksDB db, Durability durability) {
        this.directory = directory;
        this.options = options;
        this.db = db;
        this.writer = new GroupCommitWriter(db, durability, directory.getFileName().toString(), WRITE_QUEUE_CAPACITY);
    }

    /**
     * Opens (creating it if missing) the store in {@code directory}.
     *
     * @throws IOException if the directory cannot be created, is used by another process, or holds a store that
     *     cannot be recovered; the message says which, and nothing on disk was changed
     */
    public static RocksStore open(Path directory, Durability durability) throws IOException {
        Files.createDirectories(directory);
        Options options = new Options()
                .setCreateIfMissing(true)
                // A torn record at the end of the log is what a crash leaves: dropped. Anything else is damage.
                .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(2)
                .setMaxLogFileSize(1L << 20)
                .setWriteBufferSize(32L << 20)
                .setMaxTotalWalSize(128L << 20)
                .setCompressionType(CompressionType.LZ4_COMPRESSION);
        try {
            RocksDB db = RocksDB.open(options, directory.toString());
            return new RocksStore(directory, options, db, durability);
        } catch (RocksDBException e) {
            options.close();
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (message.contains("lock")) {
                throw new IOException("the store in " + directory + " is in use by another process (" + message
                        + "): two Tributary instances cannot share a data directory", e);
            }
            throw new IOException("cannot open the store in " + directory + ": " + message
                    + ". Nothing was changed; move the directory away to start empty, or restore it from a backup", e);
        }
    }

    /** Sets {@code key} to {@code value}; completes once durable. */
    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        return submit(key, value, null, true);
    }

    /** Sets {@code key} to {@code value}; completes once written, durable with the next durable change. */
    public CompletableFuture<Void> putLazily(byte[] key, byte[] value) {
        return submit(key, value, null, false);
    }

    /** Deletes {@code key}; completes once durable. */
    public CompletableFuture<Void> delete(byte[] key) {
        return submit(key, null, null, true);
    }

    /** Deletes {@code key}; completes once written, durable with the next durable change. */
    public CompletableFuture<Void> deleteLazily(byte[] key) {
        return submit(key, null, null, false);
    }

    /** Deletes every key from {@code from} (inclusive) to {@code to} (exclusive); completes once durable. */
    public CompletableFuture<Void> deleteRange(byte[] from, byte[] to) {
        return submit(from, null, to, true);
    }

    private CompletableFuture<Void> submit(byte[] key, byte[] value, byte[] rangeEnd, boolean durable) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.submit(new GroupCommitWriter.Write(key, value, rangeEnd, durable, done));
        return done;
    }

    /** The value of {@code key} as written so far, or null. */
    public byte[] get(byte[] key) throws IOException {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new IOException("cannot read the store in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Walks the keys that start with {@code prefix}, in order, from {@code from} (which must start with it) on,
     * until {@code visitor} returns false.
     */
    public void scan(byte[] prefix, byte[] from, Visitor visitor) throws IOException {
        byte[] end = prefixEnd(prefix);
        try (Slice upper = end == null ? null : new Slice(end);
             ReadOptions read = new ReadOptions()) {
            if (upper != null) {
                read.setIterateUpperBound(upper);
            }
            try (RocksIterator it = db.newIterator(read)) {
                for (it.seek(from); it.isValid(); it.next()) {
                    if (!visitor.visit(it.key(), it.value())) {
                        return;
                    }
                }
                it.status();
            }
        } catch (RocksDBException e) {
            throw new IOException("cannot read the store in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Walks every key starting with {@code prefix}, in order. */
    public void scan(byte[] prefix, Visitor visitor) throws IOException {
        scan(prefix, prefix, visitor);
    }

    /** The first key after every key that starts with {@code prefix}, or null if there is none (all 0xFF). */
    public static byte[] prefixEnd(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }

    /** Changes queued and not yet written. */
    public int backlog() {
        return writer.backlog();
    }

    /** The directory the store lives in. */
    public Path directory() {
        return directory;
    }

    /** Writes what is queued, fsyncs it, and closes the store. */
    @Override
    public void close() {
        writer.close();
        db.close();
        options.close();
    }

    @Override
    public String toString() {
        return directory.toString();
    }

    /** Sees one key and its value during a {@link #scan}; returns false to stop. */
    @FunctionalInterface
    public interface Visitor {
        boolean visit(byte[] key, byte[] value) throws IOException;
    }
}
