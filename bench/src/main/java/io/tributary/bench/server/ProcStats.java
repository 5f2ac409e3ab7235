package io.tributary.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads a process's resident memory and CPU time from {@code /proc}, so that any broker (native or JVM) is
 * measured the same way from outside.
 */
public final class ProcStats {

    /** Linux reports CPU times in clock ticks; 100 per second on every mainstream kernel configuration. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /** The resident set size (VmRSS) in bytes, or empty when the process is gone. */
    public static OptionalLong residentBytes(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** The highest resident set size the process ever had (VmHWM) in bytes, or empty when it is gone. */
    public static OptionalLong peakResidentBytes(long pid) {
        return statusField(pid, "VmHWM:");
    }

    /** User plus system CPU time of the process in nanoseconds, or empty when it is gone. */
    public static OptionalLong cpuNanos(long pid) {
        return cpuNanos(pid, false);
    }

    /** The same, with {@code withReapedChildren} also the CPU time of its children that ended and were waited for. */
    private static OptionalLong cpuNanos(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may contain spaces and parentheses: count fields after its last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            if (withReapedChildren) {
                ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]); // cutime, cstime
            }
            return OptionalLong.of(ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Busy CPU time of the whole machine, all cores together (user, nice, system, irq, softirq and steal time from
     * the first line of {@code /proc/stat}), in nanoseconds, or empty when it cannot be read: what every process on
     * the machine used, ours and others'.
     */
    public static OptionalLong machineBusyNanos() {
        try (java.io.BufferedReader reader = Files.newBufferedReader(Path.of("/proc/stat"))) {
            String[] fields = reader.readLine().trim().split("\\s+");
            long busy = 0;
            for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(fields[field]);
            }
            return OptionalLong.of(busy * (1_000_000_000L / CLOCK_TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * User plus system CPU time of a process and of all its descendants, in nanoseconds, or empty when the process is
     * gone: for a server that works in child processes, such as PostgreSQL's backends and autovacuum workers. Children
     * that ended and were waited for count through the process's own {@code cutime} and {@code cstime}; the
     * descendants running now through their own times.
     */
    public static OptionalLong treeCpuNanos(long pid) {
        OptionalLong own = cpuNanos(pid, true);
        if (own.isEmpty()) {
            return own;
        }
        long sum = own.getAsLong();
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            sum += cpuNanos(child.pid(), true).orElse(0);
        }
        return OptionalLong.of(sum);
    }

    /**
     * The CPU time between two readings of {@link #cpuNanos}, in percent of one core over {@code overNanos}, or -1 when
     * either reading is missing.
     */
    public static double cpuPercent(OptionalLong start, OptionalLong end, long overNanos) {
        if (start.isEmpty() || end.isEmpty()) {
            return -1;
        }
        return 100.0 * (end.getAsLong() - start.getAsLong()) / overNanos;
    }

    private static OptionalLong statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024L);
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
