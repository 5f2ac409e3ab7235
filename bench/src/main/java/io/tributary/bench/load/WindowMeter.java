package io.tributary.bench.load;

import io.tributary.bench.server.ProcStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Counters read right after the measured window opens and right after it closes (CPU time of a process, the machine's
 * busy time, rows in a table), in the order they were added, each with the moment it was read.
 */
public final class WindowMeter {

    /** One counter; empty when it cannot be read (a process that is gone). */
    @FunctionalInterface
    public interface Counter {
        OptionalLong read() throws Exception;
    }

    private record Reading(long atNanos, OptionalLong value) {
    }

    private final Map<String, Counter> counters = new LinkedHashMap<>();
    private final Map<String, Reading> start = new LinkedHashMap<>();
    private final Map<String, Reading> end = new LinkedHashMap<>();

    /** Adds a counter; a process's CPU, say, with {@code ProcStats.cpuNanos(pid)}. */
    public WindowMeter add(String name, Counter counter) {
        counters.put(name, counter);
        return this;
    }

    /** Adds this driver's own CPU time as {@code driver}. */
    public WindowMeter addDriver() {
        long pid = ProcessHandle.current().pid();
        return add("driver", () -> ProcStats.cpuNanos(pid));
    }

    void readStart() throws Exception {
        read(start);
    }

    void readEnd() throws Exception {
        read(end);
    }

    private void read(Map<String, Reading> into) throws Exception {
        for (Map.Entry<String, Counter> counter : counters.entrySet()) {
            long at = System.nanoTime();
            into.put(counter.getKey(), new Reading(at, counter.getValue().read()));
        }
    }

    /** The counter's CPU nanoseconds over {@code windowNanos}, in % of one core, or -1 when unknown. */
    public double cpuPercent(String name, long windowNanos) {
        return ProcStats.cpuPercent(start.get(name).value(), end.get(name).value(), windowNanos);
    }

    /** The counter's growth per second between its two readings (0 when it could not be read). */
    public double perSecond(String name) {
        Reading first = start.get(name);
        Reading last = end.get(name);
        return (last.value().orElse(0) - first.value().orElse(0)) / ((last.atNanos() - first.atNanos()) / 1e9);
    }
}
