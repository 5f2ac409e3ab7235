package io.tributary.bench.store;

import java.nio.file.Path;
import org.rocksdb.WALRecoveryMode;

/** The two candidates, each opened as its documentation recommends for a durable store. */
enum StoreKind {
    ROCKSDB("RocksDB 10.10.1"),
    MVSTORE("H2 MVStore 2.3.232"),
    /** A tuning attempt: smaller leaves, so that a commit that touches many of them rewrites fewer bytes. */
    MVSTORE_4K("H2 MVStore, 4 KiB pages");

    final String label;

    StoreKind(String label) {
        this.label = label;
    }

    KvStore open(Path dir) {
        return switch (this) {
            // Point-in-time recovery is RocksDB's default: replay the WAL up to the first damaged record.
            case ROCKSDB -> RocksKvStore.open(dir, WALRecoveryMode.PointInTimeRecovery);
            case MVSTORE -> MvKvStore.open(dir, false, 0);
            case MVSTORE_4K -> MvKvStore.open(dir, false, 4096);
        };
    }
}
