package io.tributary.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may contain spaces and parentheses: count fields after its last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return OptionalLong.of((utime + stime) * (1_000_000_000L / CLOCK_TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
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
