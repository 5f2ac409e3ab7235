package io.tributary.bench.store;

/**
 * What the comparison asks of an embedded, ordered, crash-safe key-value store: batched writes made durable with
 * one fsync, ordered range scans and point reads. Keys are compared bytewise and unsigned, as RocksDB's default
 * comparator does. Single-threaded use only.
 */
interface KvStore extends AutoCloseable {

    /** Writes the batch and returns once it is on disk: the broker acknowledges after this. */
    void writeDurably(Batch batch);

    /** Writes the batch without waiting for the disk (the bulk load that only sets up a read measurement). */
    void write(Batch batch);

    /** Reads every record with {@code from <= key < toExclusive} in key order; returns how many there were. */
    long scan(byte[] from, byte[] toExclusive);

    /** Reads every record in key order; returns how many there were. */
    long scanAll();

    /** The value stored under the key, or null. */
    byte[] get(byte[] key);

    @Override
    void close();
}
