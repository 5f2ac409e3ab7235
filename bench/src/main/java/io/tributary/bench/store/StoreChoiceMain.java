package io.tributary.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures RocksDB against H2's MVStore on the broker store's workload (issue 12) and prints Markdown tables:
 * <ol type="a">
 *   <li>group-committed appends, batches of 1, 16, 128 and 512 records, each batch fsynced before the next;</li>
 *   <li>the same as a queue: every append also deletes the record appended {@value #BACKLOG} records earlier, and a
 *   longer run of batches of 128 that samples the disk usage, then reads queue heads over the deletes;</li>
 *   <li>ordered scan of one session's 1,000 records in a store of 1,009,000 records in 10,000 sessions (10 of them
 *   with 1,000 records, the others with 100);</li>
 *   <li>opening that store and scanning all of it;</li>
 *   <li>kill -9 after durable batches, and a torn tail ({@link CrashProbe}).</li>
 * </ol>
 * Appends go round-robin to {@value CrashChild#SESSIONS} sessions, one thread, as the broker's store writer would.
 *
 * <p>Run: {@code java -Xmx1g -cp 'bench/target/classes:bench/target/lib/*' io.tributary.bench.store.StoreChoiceMain
 * [scratch directory, default java.io.tmpdir] [ROCKSDB|MVSTORE ...]}; {@code -Dstorechoice.seconds=5} is the
 * length of each measured append run, {@code -Dstorechoice.growthSeconds=60} that of the disk-usage run. The scratch
 * directory must be on a real disk: on tmpfs an fsync costs nothing.
 */
public final class StoreChoiceMain {

    /** Records appended but not yet consumed, in the queue runs. */
    static final int BACKLOG = 50_000;

    private static final int[] BATCH_SIZES = {1, 16, 128, 512};
    private static final int LOADED_SESSIONS = 10_000;
    private static final int BIG_SESSIONS = 10;
    private static final int BIG_SESSION_RECORDS = 1_000;
    private static final int SMALL_SESSION_RECORDS = 100;
    /** 10 sessions of 1,000 records and 9,990 of 100: 1,009,000. */
    private static final long LOADED_RECORDS =
            BIG_SESSIONS * BIG_SESSION_RECORDS + (LOADED_SESSIONS - BIG_SESSIONS) * SMALL_SESSION_RECORDS;

    private StoreChoiceMain() {
    }

    public static void main(String[] args) throws IOException {
        Path root = args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir"));
        List<StoreKind> kinds = args.length > 1
                ? Arrays.stream(args, 1, args.length).map(StoreKind::valueOf).toList()
                : List.of(StoreKind.values());
        double seconds = Double.parseDouble(System.getProperty("storechoice.seconds", "5"));
        double growthSeconds = Double.parseDouble(System.getProperty("storechoice.growthSeconds", "60"));
        System.out.printf("scratch %s (%s), %d s per append run, %d s disk-usage run%n%n", root,
                Files.getFileStore(root).type(), (long) seconds, (long) growthSeconds);

        List<String> appends = new ArrayList<>();
        List<String> queues = new ArrayList<>();
        List<String> growth = new ArrayList<>();
        List<String> reads = new ArrayList<>();
        List<CrashProbe.Outcome> crashes = new ArrayList<>();
        // The short runs alternate between the stores and are done twice, so that a noisy neighbour hurts both.
        for (int round = 1; round <= 2; round++) {
            for (boolean queue : new boolean[] {false, true}) {
                for (int batchSize : BATCH_SIZES) {
                    for (StoreKind kind : kinds) {
                        String row = appendRun(kind, root, batchSize, queue, seconds);
                        (queue ? queues : appends).add(row);
                        System.err.println(row);
                    }
                }
            }
        }
        appends.sort(null);
        queues.sort(null);
        for (StoreKind kind : kinds) {
            growth.add(growthRun(kind, root, growthSeconds));
            System.err.println(growth.get(growth.size() - 1));
            reads.add(readRun(kind, root));
            System.err.println(reads.get(reads.size() - 1));
            crashes.addAll(CrashProbe.run(kind, root));
        }
        String appendHeader = "| store | batch | records/s | fsyncs/s | batch p50 ms | batch p99 ms"
                + " | disk writes per record | store size at end |\n|---|---:|---:|---:|---:|---:|---:|---:|";
        System.out.println("### a) Appends, each batch durable before the next\n\n" + appendHeader);
        appends.forEach(System.out::println);
        System.out.println("\n### b) Queue: append and delete the record " + BACKLOG + " back\n\n" + appendHeader);
        queues.forEach(System.out::println);
        System.out.println("\n### b) Queue, batches of 128: disk usage over time, and reading queue heads\n\n"
                + "| store | records/s | store size every 10 s (MB) | disk writes per record"
                + " | one session's head read (50 records) before / after the run |\n|---|---:|---|---:|---:|");
        growth.forEach(System.out::println);
        System.out.println("\n### c), d) 1,009,000 records in 10,000 sessions\n\n"
                + "| store | bulk load records/s | size | first open ms | first scan of a 1,000-record session"
                + " | later scans | second open ms | full scan ms |\n|---|---:|---:|---:|---:|---:|---:|---:|");
        reads.forEach(System.out::println);
        System.out.println("\n### e) kill -9 after durable batches of 16, then torn tails\n\n"
                + "| store | damage | opened with | acknowledged | result |\n|---|---|---|---:|---|");
        crashes.forEach(o -> System.out.printf("| %s | %s | %s | %,d | %s |%n",
                o.store().label, o.damage(), o.openedWith(), o.acked(), o.result()));
    }

    /** One measured append run (after a 1 s warm-up) on a fresh store; returns its table row. */
    private static String appendRun(StoreKind kind, Path root, int batchSize, boolean queue, double seconds) {
        Path dir = Disk.scratch(root);
        try (KvStore store = kind.open(dir)) {
            Appender appender = new Appender(store, batchSize, queue);
            if (queue) {
                appender.prefill();
            }
            appender.run(1.0);
            Appender.Result result = appender.run(seconds);
            return String.format(Locale.ROOT, "| %s | %3d | %,.0f | %,.0f | %.2f | %.2f | %,.0f B | %.1f MB |",
                    kind.label, batchSize, result.recordsPerSecond(), result.batchesPerSecond(),
                    result.percentileMillis(50), result.percentileMillis(99), result.diskBytesPerRecord(),
                    Disk.bytesUsed(dir) / 1e6);
        } finally {
            Disk.delete(dir);
        }
    }

    /** A longer queue run that samples the store's size, then reads 100 sessions' queues over the tombstones. */
    private static String growthRun(StoreKind kind, Path root, double seconds) {
        Path dir = Disk.scratch(root);
        try (KvStore store = kind.open(dir)) {
            Appender appender = new Appender(store, 128, true);
            appender.prefill();
            double headBefore = headReadMicros(store);
            List<String> sizes = new ArrayList<>();
            long records = 0;
            double elapsed = 0;
            double bytes = 0;
            for (double done = 0; done < seconds; done += 10) {
                Appender.Result result = appender.run(Math.min(10, seconds - done));
                records += result.records();
                elapsed += result.seconds();
                bytes += result.diskBytesPerRecord() * result.records();
                sizes.add(String.format(Locale.ROOT, "%.0f", Disk.bytesUsed(dir) / 1e6));
            }
            double headAfter = headReadMicros(store);
            return String.format(Locale.ROOT, "| %s | %,.0f | %s | %,.0f B | %,.0f µs / %,.0f µs |", kind.label,
                    records / elapsed, String.join(", ", sizes), bytes / records, headBefore, headAfter);
        } finally {
            Disk.delete(dir);
        }
    }

    /** Mean time to read one session's whole queue, over the first 100 sessions. */
    private static double headReadMicros(KvStore store) {
        long start = System.nanoTime();
        long found = 0;
        for (int session = 0; session < 100; session++) {
            found += store.scan(Records.key(session, 0), Records.sessionEnd(session));
        }
        check(found == 100L * BACKLOG / CrashChild.SESSIONS, "queue heads: " + found + " records");
        return (System.nanoTime() - start) / 1e3 / 100;
    }

    /** c) and d): loads 1,009,000 records, then reopens for the session scans and again for the full scan. */
    private static String readRun(StoreKind kind, Path root) {
        Path dir = Disk.scratch(root);
        try {
            double loadSeconds = load(kind, dir);
            long size = Disk.bytesUsed(dir);
            long start = System.nanoTime();
            double firstScan;
            double laterScans;
            double openMillis;
            try (KvStore store = kind.open(dir)) {
                openMillis = (System.nanoTime() - start) / 1e6;
                firstScan = scanBigSessions(store, 1);
                laterScans = scanBigSessions(store, 20);
            }
            start = System.nanoTime();
            double reopenMillis;
            double fullScanMillis;
            try (KvStore store = kind.open(dir)) {
                reopenMillis = (System.nanoTime() - start) / 1e6;
                long scanStart = System.nanoTime();
                long all = store.scanAll();
                fullScanMillis = (System.nanoTime() - scanStart) / 1e6;
                check(all == LOADED_RECORDS, "full scan: " + all + " records");
            }
            return String.format(Locale.ROOT, "| %s | %,.0f | %.0f MB | %.0f | %,.0f µs | %,.0f µs | %.0f | %,.0f |",
                    kind.label, LOADED_RECORDS / loadSeconds, size / 1e6, openMillis, firstScan, laterScans,
                    reopenMillis, fullScanMillis);
        } finally {
            Disk.delete(dir);
        }
    }

    /** Writes the records in arrival order (round-robin over the sessions that still get some), 1,000 a batch. */
    private static double load(StoreKind kind, Path dir) {
        long start = System.nanoTime();
        try (KvStore store = kind.open(dir)) {
            Batch batch = new Batch();
            for (int sequence = 0; sequence < BIG_SESSION_RECORDS; sequence++) {
                int sessions = sequence < SMALL_SESSION_RECORDS ? LOADED_SESSIONS : BIG_SESSIONS;
                for (int session = 0; session < sessions; session++) {
                    batch.put(Records.key(session, sequence), Records.value(session, sequence));
                    if (batch.putKeys.size() == 1_000) {
                        store.write(batch);
                        batch.clear();
                    }
                }
            }
            store.writeDurably(batch);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Mean microseconds per ordered scan of one of the big sessions' 1,000 records. */
    private static double scanBigSessions(KvStore store, int rounds) {
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            for (int session = 0; session < BIG_SESSIONS; session++) {
                long found = store.scan(Records.key(session, 0), Records.sessionEnd(session));
                check(found == BIG_SESSION_RECORDS, "session " + session + ": " + found + " records");
            }
        }
        return (System.nanoTime() - start) / 1e3 / rounds / BIG_SESSIONS;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("unexpected " + what);
        }
    }
}
