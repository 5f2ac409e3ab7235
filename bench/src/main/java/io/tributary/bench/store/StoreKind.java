package io.tributary.bench.store;

import java.nio.file.Path;
import org.rocksdb.WALRecoveryMode;

/** The two candidates, each opened as its documentation recommends for a durable store. */
enum StoreKind {
    ROCKSDB("RocksDB 10.10.1"),
    MVSTORE("H2 MVStore 2.3.232"),
    /**
     * A tuning attempt: free chunks reused at once. The retention time guards against disks that reorder writes
     * without being told to sync; here every commit is synced.
     */
    MVSTORE_R0("H2 MVStore, retention 0");

    final String label;

    StoreKind(String label) {
        this.label = label;
    }

    KvStore open(Path dir) {
        return switch (this) {
            // Point-in-time recovery is RocksDB's default: replay the WAL up to the first damaged record.
            case ROCKSDB -> RocksKvStore.open(dir, WALRecoveryMode.PointInTimeRecovery);
            case MVSTORE -> MvKvStore.open(dir, false, -1);
            case MVSTORE_R0 -> MvKvStore.open(dir, false, 0);
        };
    }
}
