package io.tributary.bench.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.rocksdb.WALRecoveryMode;

/**
 * Kills a {@link CrashChild} with SIGKILL ({@code ProcessHandle.destroyForcibly}) while it appends batches of 16
 * durably, then opens its store here and counts the acknowledged records that survived. For the torn tail, the
 * newest file (the RocksDB WAL, the MVStore file) is then damaged the way an interrupted write would leave it, on
 * copies, and opened with each recovery setting.
 */
final class CrashProbe {

    /** One row of the result table. */
    record Outcome(StoreKind store, String damage, String openedWith, long acked, String result) {
    }

    private record Recovery(String name, Function<Path, KvStore> open) {
    }

    private static final int BATCH = 16;

    private CrashProbe() {
    }

    static List<Outcome> run(StoreKind kind, Path root) {
        List<Outcome> outcomes = new ArrayList<>();
        for (long target : new long[] {1_000, 10_000, 40_000}) {
            Path dir = Disk.scratch(root);
            try {
                long acked = killAfter(kind, dir, target);
                outcomes.add(check(kind, dir, acked, "none (kill -9 only)", recoveries(kind).get(0)));
            } finally {
                Disk.delete(dir);
            }
        }
        Path dir = Disk.scratch(root);
        try {
            long acked = killAfter(kind, dir, 10_000);
            for (String damage : List.of("last 700 bytes cut off", "4 KiB of random bytes appended")) {
                for (Recovery recovery : recoveries(kind)) {
                    Path copy = Disk.scratch(root);
                    try {
                        Disk.copy(dir, copy);
                        damage(newestFile(kind, copy), damage);
                        outcomes.add(check(kind, copy, acked, damage, recovery));
                    } finally {
                        Disk.delete(copy);
                    }
                }
            }
        } finally {
            Disk.delete(dir);
        }
        return outcomes;
    }

    private static List<Recovery> recoveries(StoreKind kind) {
        return switch (kind) {
            case ROCKSDB -> List.of(
                    rocks("PointInTimeRecovery (default)", WALRecoveryMode.PointInTimeRecovery),
                    rocks("TolerateCorruptedTailRecords", WALRecoveryMode.TolerateCorruptedTailRecords),
                    rocks("AbsoluteConsistency", WALRecoveryMode.AbsoluteConsistency));
            case MVSTORE, MVSTORE_R0 -> List.of(
                    new Recovery("default", dir -> kind.open(dir)),
                    new Recovery("recoveryMode()",
                            dir -> MvKvStore.open(dir, true, kind == StoreKind.MVSTORE_R0 ? 0 : -1)));
        };
    }

    private static Recovery rocks(String name, WALRecoveryMode mode) {
        return new Recovery(name, dir -> RocksKvStore.open(dir, mode));
    }

    /** Starts the child, kills it once it acknowledged at least {@code target} records; returns how many it had. */
    private static long killAfter(StoreKind kind, Path dir, long target) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), kind.name(), dir.toString(), Integer.toString(BATCH))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process child = builder.start();
            long acked = 0;
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    acked = Long.parseLong(line.substring("acked ".length()));
                    if (acked >= target && child.isAlive()) {
                        // SIGKILL through the handle: Process.destroyForcibly would also close the pipe, whose
                        // remaining lines are acknowledgements too.
                        child.toHandle().destroyForcibly();
                    }
                }
            } finally {
                child.destroyForcibly();
                child.waitFor();
            }
            return acked; // lines still in the pipe when it died were read too: each one was durable
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Outcome check(StoreKind kind, Path dir, long acked, String damage, Recovery recovery) {
        String result;
        try (KvStore store = recovery.open().apply(dir)) {
            long firstMissing = -1;
            long missing = 0;
            for (long i = 0; i < acked; i++) {
                if (store.get(Records.key(i % CrashChild.SESSIONS, i / CrashChild.SESSIONS)) == null) {
                    missing++;
                    firstMissing = firstMissing < 0 ? i : firstMissing;
                }
            }
            long present = store.scanAll();
            result = missing == 0
                    ? "opens; all acknowledged records there (" + (present - acked) + " unacknowledged too)"
                    : "opens; " + missing + " acknowledged records lost, from record " + firstMissing
                            + " (the last " + (acked - firstMissing) + ")";
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage()).replace('\n', ' ').replace('|', '/');
            result = "does not open: " + message.substring(0, Math.min(message.length(), 110));
        }
        return new Outcome(kind, damage, recovery.name(), acked, result);
    }

    private static Path newestFile(StoreKind kind, Path dir) {
        if (kind != StoreKind.ROCKSDB) {
            return MvKvStore.file(dir);
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .max((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .orElseThrow(() -> new IllegalStateException("no WAL in " + dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void damage(Path file, String how) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (how.startsWith("last 700")) {
                channel.truncate(channel.size() - 700);
            } else {
                byte[] garbage = new byte[4096];
                new Random(7).nextBytes(garbage);
                channel.write(ByteBuffer.wrap(garbage), channel.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
