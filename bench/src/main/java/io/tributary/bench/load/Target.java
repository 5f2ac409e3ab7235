package io.tributary.bench.load;

import io.tributary.bench.server.ProcStats;
import java.util.OptionalLong;

/**
 * The broker a scenario runs against: where it listens and, when known, its process ID so that its memory and CPU
 * can be read from {@code /proc}.
 *
 * @param pid the broker's process ID, or 0 when it is not on this machine or not known
 */
public record Target(String name, String host, int port, long pid) {

    public boolean hasProcess() {
        return pid > 0;
    }

    public boolean isAlive() {
        return !hasProcess() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public OptionalLong residentBytes() {
        return hasProcess() ? ProcStats.residentBytes(pid) : OptionalLong.empty();
    }

    public OptionalLong cpuNanos() {
        return hasProcess() ? ProcStats.cpuNanos(pid) : OptionalLong.empty();
    }
}
