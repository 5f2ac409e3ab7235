package io.tributary.bench.store;

import java.nio.file.Path;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB with its default options (Snappy, 64 MiB memtable, leveled compaction) and the write-ahead log on:
 * a durable batch is one {@link WriteBatch} written with {@code sync = true}, which appends it to the WAL and
 * fsyncs the WAL once.
 */
final class RocksKvStore implements KvStore {

    static {
        RocksDB.loadLibrary();
    }

    private final Options options;
    private final RocksDB db;
    private final WriteOptions durable = new WriteOptions().setSync(true);
    private final WriteOptions buffered = new WriteOptions();

    private RocksKvStore(Options options, RocksDB db) {
        this.options = options;
        this.db = db;
    }

    static RocksKvStore open(Path dir, WALRecoveryMode recovery) {
        Options options = new Options().setCreateIfMissing(true).setWalRecoveryMode(recovery);
        try {
            return new RocksKvStore(options, RocksDB.open(options, dir.toString()));
        } catch (RocksDBException e) {
            options.close();
            throw new IllegalStateException("RocksDB did not open " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void writeDurably(Batch batch) {
        write(batch, durable);
    }

    @Override
    public void write(Batch batch) {
        write(batch, buffered);
    }

    private void write(Batch batch, WriteOptions writeOptions) {
        try (WriteBatch writeBatch = new WriteBatch()) {
            for (int i = 0; i < batch.putKeys.size(); i++) {
                writeBatch.put(batch.putKeys.get(i), batch.putValues.get(i));
            }
            for (byte[] key : batch.deleteKeys) {
                writeBatch.delete(key);
            }
            db.write(writeOptions, writeBatch);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long scan(byte[] from, byte[] toExclusive) {
        try (Slice upper = new Slice(toExclusive);
                ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
                RocksIterator it = db.newIterator(read)) {
            long count = 0;
            for (it.seek(from); it.isValid(); it.next()) {
                count += it.value().length > 0 ? 1 : 0;
            }
            return count;
        }
    }

    @Override
    public long scanAll() {
        try (RocksIterator it = db.newIterator()) {
            long count = 0;
            for (it.seekToFirst(); it.isValid(); it.next()) {
                count += it.value().length > 0 ? 1 : 0;
            }
            return count;
        }
    }

    @Override
    public byte[] get(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        db.close();
        durable.close();
        buffered.close();
        options.close();
    }
}
