package io.tributary.bench.store;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ByteArrayDataType;

/**
 * H2's MVStore (one file, copy-on-write B-tree, no write-ahead log) with its default options, background writer and
 * housekeeping included. A durable batch is {@link MVStore#commit()}, which writes the changed pages as a new chunk,
 * then {@link MVStore#sync()}, which fsyncs the file ({@code FileChannel.force(true)}): a commit alone only reaches
 * the operating system.
 */
final class MvKvStore implements KvStore {

    private static final String FILE_NAME = "store.mv.db";

    private final MVStore store;
    private final MVMap<byte[], byte[]> map;

    private MvKvStore(MVStore store) {
        this.store = store;
        this.map = store.openMap("records", new MVMap.Builder<byte[], byte[]>()
                .keyType(UnsignedBytes.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
    }

    /**
     * Opens with the default retention time (45 s: chunks that no longer hold live data are reused only that long
     * after they were replaced), or {@code retentionMillis} if it is not negative.
     */
    static MvKvStore open(Path dir, boolean recoveryMode, int retentionMillis) {
        MVStore.Builder builder = new MVStore.Builder().fileName(file(dir).toString());
        if (recoveryMode) {
            builder.recoveryMode();
        }
        MVStore store = builder.open();
        if (retentionMillis >= 0) {
            store.setRetentionTime(retentionMillis);
        }
        return new MvKvStore(store);
    }

    static Path file(Path dir) {
        return dir.resolve(FILE_NAME);
    }

    @Override
    public void writeDurably(Batch batch) {
        write(batch);
        store.commit();
        store.sync();
    }

    @Override
    public void write(Batch batch) {
        for (int i = 0; i < batch.putKeys.size(); i++) {
            map.put(batch.putKeys.get(i), batch.putValues.get(i));
        }
        for (byte[] key : batch.deleteKeys) {
            map.remove(key);
        }
    }

    @Override
    public long scan(byte[] from, byte[] toExclusive) {
        Cursor<byte[], byte[]> cursor = map.cursor(from);
        long count = 0;
        while (cursor.hasNext() && Arrays.compareUnsigned(cursor.next(), toExclusive) < 0) {
            count += cursor.getValue().length > 0 ? 1 : 0;
        }
        return count;
    }

    @Override
    public long scanAll() {
        Cursor<byte[], byte[]> cursor = map.cursor(null);
        long count = 0;
        while (cursor.hasNext()) {
            cursor.next();
            count += cursor.getValue().length > 0 ? 1 : 0;
        }
        return count;
    }

    @Override
    public byte[] get(byte[] key) {
        return map.get(key);
    }

    @Override
    public void close() {
        store.close();
    }

    /** Byte-array keys in RocksDB's order (bytewise, unsigned); H2's own byte-array type cannot be a key. */
    static final class UnsignedBytes extends BasicDataType<byte[]> {

        static final UnsignedBytes INSTANCE = new UnsignedBytes();

        @Override
        public int compare(byte[] a, byte[] b) {
            return Arrays.compareUnsigned(a, b);
        }

        @Override
        public int getMemory(byte[] key) {
            return 24 + key.length;
        }

        @Override
        public void write(WriteBuffer buffer, byte[] key) {
            buffer.putVarInt(key.length).put(key);
        }

        @Override
        public byte[] read(ByteBuffer buffer) {
            byte[] key = new byte[DataUtils.readVarInt(buffer)];
            buffer.get(key);
            return key;
        }

        @Override
        public byte[][] createStorage(int size) {
            return new byte[size][];
        }
    }
}
