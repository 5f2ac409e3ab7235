package io.tributary.bench.store;

import java.util.Arrays;

/**
 * Appends batches durably, one after the other, record i going to session i % 1000 with sequence number i / 1000;
 * as a queue it also deletes, in the same batch, the record appended {@value StoreChoiceMain#BACKLOG} earlier.
 */
final class Appender {

    record Result(long records, long batches, double seconds, long[] latencies, long diskBytes) {

        double recordsPerSecond() {
            return records / seconds;
        }

        double batchesPerSecond() {
            return batches / seconds;
        }

        double diskBytesPerRecord() {
            return (double) diskBytes / records;
        }

        double percentileMillis(int percentile) {
            int index = (int) Math.min(latencies.length - 1, (long) latencies.length * percentile / 100);
            return latencies[index] / 1e6;
        }
    }

    private static final int MAX_LATENCIES = 1 << 20;

    private final KvStore store;
    private final int batchSize;
    private final boolean queue;
    private final Batch batch = new Batch();
    private long next;

    Appender(KvStore store, int batchSize, boolean queue) {
        this.store = store;
        this.batchSize = batchSize;
        this.queue = queue;
    }

    /** Writes the backlog the queue starts with, in batches of 1,000, the last one durably. */
    void prefill() {
        while (next < StoreChoiceMain.BACKLOG) {
            batch.put(key(next), value(next));
            next++;
            if (batch.putKeys.size() == 1_000 || next == StoreChoiceMain.BACKLOG) {
                if (next == StoreChoiceMain.BACKLOG) {
                    store.writeDurably(batch);
                } else {
                    store.write(batch);
                }
                batch.clear();
            }
        }
    }

    Result run(double seconds) {
        long[] latencies = new long[1024];
        long batches = 0;
        long firstRecord = next;
        long diskBefore = Disk.bytesWrittenByThisProcess();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        for (long now = start; now < end; ) {
            batch.clear();
            for (int i = 0; i < batchSize; i++, next++) {
                batch.put(key(next), value(next));
                if (queue) {
                    batch.delete(key(next - StoreChoiceMain.BACKLOG));
                }
            }
            store.writeDurably(batch);
            long done = System.nanoTime();
            if (batches < MAX_LATENCIES) {
                if (batches == latencies.length) {
                    latencies = Arrays.copyOf(latencies, latencies.length * 2);
                }
                latencies[(int) batches] = done - now;
            }
            batches++;
            now = done;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] measured = Arrays.copyOf(latencies, (int) Math.min(batches, MAX_LATENCIES));
        Arrays.sort(measured);
        long diskBytes = Disk.bytesWrittenByThisProcess() - diskBefore;
        return new Result(next - firstRecord, batches, elapsed, measured, diskBytes);
    }

    private static byte[] key(long record) {
        return Records.key(record % CrashChild.SESSIONS, record / CrashChild.SESSIONS);
    }

    private static byte[] value(long record) {
        return Records.value(record % CrashChild.SESSIONS, record / CrashChild.SESSIONS);
    }
}
