package io.tributary.bench.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The processes of the run under way, stopped by one shutdown hook if the driver is told to exit (Ctrl-C, SIGTERM)
 * before it stopped them itself: the last one started first.
 */
public final class StopOnExit {

    private final List<AutoCloseable> running = new ArrayList<>();

    /** @param name the hook thread's name */
    public StopOnExit(String name) {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, name));
    }

    /** Watches {@code process} from now on; returns it. */
    public synchronized <T extends AutoCloseable> T watch(T process) {
        running.add(process);
        return process;
    }

    /** Stops watching {@code process}: its owner has stopped it, or is about to. */
    public synchronized void forget(AutoCloseable process) {
        running.remove(process);
    }

    /** Stops watching every process: the run under way has stopped them. */
    public synchronized void forgetAll() {
        running.clear();
    }

    private synchronized void stopAll() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception ignored) {
                // exiting anyway: stop the others
            }
        }
        running.clear();
    }
}
