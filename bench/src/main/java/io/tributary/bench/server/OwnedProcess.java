package io.tributary.bench.server;

import java.util.OptionalInt;

/**
 * A process the driver started and owns, as a run watches it: a broker under test ({@link RunningBroker}) or a
 * helper such as the baseline's Camel bridge ({@link HelperProcess}). Stopped by its own PID on {@link #close()}.
 */
public interface OwnedProcess extends AutoCloseable {

    long pid();

    boolean isAlive();

    /** The exit code, or empty while the process runs. */
    OptionalInt exitCode();

    /** The last lines of the process's output, for reports on failures. */
    String logTail(int lines);

    /** For a process that ended: {@code <who> exited with code N; last log lines: ...}, on one line. */
    default String exitNote(String who) {
        return who + " exited with code " + exitCode().orElse(-1) + "; last log lines: "
                + logTail(3).replace("\n", " ⏎ ");
    }

    /** Stops the process by its PID: SIGTERM, then SIGKILL after a grace period. */
    @Override
    void close();
}
