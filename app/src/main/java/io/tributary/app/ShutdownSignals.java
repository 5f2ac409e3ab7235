package io.tributary.app;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Makes the first SIGINT or SIGTERM stop Tributary gracefully and then exit the JVM through its shutdown hooks,
 * and a second one halt it at once, for when a graceful stop hangs. The graceful stop runs before the hooks:
 * H2's own hook closes an embedded database that serves other processes (see {@link EmbeddedDatabases}), and
 * must not do so while the routes still write their last batches.
 *
 * <p>The JVM's own handlers ignore a signal that arrives while the hooks run, so a second Ctrl-C would do
 * nothing; {@code sun.misc.Signal} (module jdk.unsupported, kept for this use by JEP 260) is the only way to
 * see it. The compiler warns about it as an internal API.
 */
final class ShutdownSignals {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

    private static final AtomicBoolean RECEIVED = new AtomicBoolean();
    private static volatile Runnable gracefulStop = () -> { };

    private ShutdownSignals() {
    }

    /**
     * Installs the handlers for INT and TERM; where a signal cannot be handled, the JVM's default stays.
     *
     * @param stop the graceful stop, run before the JVM exits
     */
    static void install(Runnable stop) {
        gracefulStop = stop;
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), ShutdownSignals::onSignal);
            } catch (IllegalArgumentException unavailable) {
                LOG.debug("SIG{} keeps the JVM's handler: {}", name, unavailable.getMessage());
            }
        }
    }

    private static void onSignal(Signal signal) {
        if (RECEIVED.compareAndSet(false, true)) {
            LOG.info("SIG{} received; stopping gracefully (send it again to stop at once)", signal.getName());
            // The stop and System.exit block until done: run them off the signal's thread.
            Thread exit = new Thread(() -> {
                gracefulStop.run();
                System.exit(TributaryCommand.OK);
            }, "tributary-exit");
            exit.start();
        } else {
            LOG.warn("SIG{} received again; halting without finishing the graceful stop", signal.getName());
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
    }
}
