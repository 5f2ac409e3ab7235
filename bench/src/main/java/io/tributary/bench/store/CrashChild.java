package io.tributary.bench.store;

import java.nio.file.Path;

/**
 * The child JVM of the kill -9 probe: appends batches durably, forever, and prints {@code acked N} after each one
 * is on disk, N being how many records are durable (records 0 to N - 1, record i in session i % 1000). The parent
 * kills it at some point and checks that every record it saw acknowledged survived.
 */
public final class CrashChild {

    static final int SESSIONS = 1000;

    private CrashChild() {
    }

    public static void main(String[] args) {
        StoreKind kind = StoreKind.valueOf(args[0]);
        Path dir = Path.of(args[1]);
        int batchSize = Integer.parseInt(args[2]);
        Batch batch = new Batch();
        try (KvStore store = kind.open(dir)) {
            for (long next = 0; ; ) {
                batch.clear();
                for (int i = 0; i < batchSize; i++, next++) {
                    long session = next % SESSIONS;
                    long sequence = next / SESSIONS;
                    batch.put(Records.key(session, sequence), Records.value(session, sequence));
                }
                store.writeDurably(batch);
                System.out.println("acked " + next);
                System.out.flush();
            }
        }
    }
}
