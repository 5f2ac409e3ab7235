package io.tributary.app;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Makes the first SIGINT or SIGTERM exit the JVM through its shutdown hooks (which stop the broker gracefully),
 * and a second one halt it at once, for when a graceful stop hangs.
 *
 * <p>The JVM's own handlers ignore a signal that arrives while the hooks run, so a second Ctrl-C would do
 * nothing; {@code sun.misc.Signal} (module jdk.unsupported, kept for this use by JEP 260) is the only way to
 * see it. The compiler warns about it as an internal API.
 */
final class ShutdownSignals {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

    private static final AtomicBoolean RECEIVED = new AtomicBoolean();

    private ShutdownSignals() {
    }

    /** Installs the handlers for INT and TERM; where a signal cannot be handled, the JVM's default stays. */
    static void install() {
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
            // System.exit blocks until the hooks are done: run it off the signal's thread.
            Thread exit = new Thread(() -> System.exit(TributaryCommand.OK), "tributary-exit");
            exit.start();
        } else {
            LOG.warn("SIG{} received again; halting without finishing the graceful stop", signal.getName());
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
    }
}
