package io.tributary.broker.auth;

import io.tributary.broker.Authenticator;
import io.tributary.broker.ClientInfo;
import io.tributary.broker.logging.LogSafe;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Authenticator} for each CONNECT. Hashing a password (or asking a plugin's server) must never
 * hold an I/O thread, which serves hundreds of other clients: a pooled authentication runs on a few threads of
 * its own, with a bounded queue, and a CONNECT that finds the queue full is refused as "server busy" rather
 * than waiting without bound. Only the built-in address check runs inline.
 */
public final class ConnectAuthentication {
    private static final Logger log = LoggerFactory.getLogger(ConnectAuthentication.class);

    /** CONNECTs waiting for a thread beyond this are refused as busy: a second or so of PBKDF2 work. */
    public static final int DEFAULT_QUEUE = 1_000;

    /** What became of a CONNECT's credentials. */
    public enum Outcome {
        ACCEPTED,
        /** The authenticator said no. */
        REFUSED,
        /** Too many CONNECTs are waiting to be authenticated. */
        BUSY,
        /** The authenticator failed (threw); the client may try again later. */
        FAILED
    }

    private final ConnectRefusals refusals = new ConnectRefusals();
    private volatile Authenticator authenticator;
    /** Null when the authenticator runs inline. */
    private final ThreadPoolExecutor executor;

    private ConnectAuthentication(Authenticator authenticator, ThreadPoolExecutor executor) {
        this.authenticator = authenticator;
        this.executor = executor;
    }

    /** Calls {@code authenticator} on the I/O thread: only for one that does no I/O and no hashing. */
    public static ConnectAuthentication inline(Authenticator authenticator) {
        return new ConnectAuthentication(Objects.requireNonNull(authenticator), null);
    }

    /**
     * Calls the authenticator on {@code threads} threads of its own, with at most {@code queue} CONNECTs
     * waiting; {@link #use} sets it before the first CONNECT.
     */
    public static ConnectAuthentication pooled(Authenticator authenticator, int threads, int queue) {
        AtomicInteger ids = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), task -> {
                    Thread thread = new Thread(task, "tributary-auth-" + ids.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        return new ConnectAuthentication(authenticator, executor);
    }

    /** The number of threads a pooled authentication uses: a few, never most of the machine. */
    public static int defaultThreads() {
        return Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    }

    /** The refusals counted and logged so far. */
    public ConnectRefusals refusals() {
        return refusals;
    }

    /** Sets the authenticator, once it is loaded (at the broker's start). */
    public void use(Authenticator chosen) {
        this.authenticator = Objects.requireNonNull(chosen);
    }

    /** True when {@link #authenticate} completes before it returns. */
    public boolean isInline() {
        return executor == null;
    }

    /**
     * Decides on {@code client}; the future completes on an authentication thread, or at once when inline or
     * busy.
     *
     * @param password the CONNECT password or null; never logged
     */
    public CompletableFuture<Outcome> authenticate(ClientInfo client, byte[] password) {
        Authenticator current = authenticator;
        if (executor == null) {
            return CompletableFuture.completedFuture(decide(current, client, password));
        }
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        try {
            executor.execute(() -> result.complete(decide(current, client, password)));
        } catch (RejectedExecutionException e) {
            result.complete(Outcome.BUSY);
        }
        return result;
    }

    private static Outcome decide(Authenticator authenticator, ClientInfo client, byte[] password) {
        try {
            return authenticator.authenticate(client, password) ? Outcome.ACCEPTED : Outcome.REFUSED;
        } catch (RuntimeException e) {
            // Logged here in full for debugging; the refusal itself is logged, rate-limited, by ConnectRefusals.
            log.debug("authenticator {} failed for client {}", authenticator.getClass().getName(),
                    LogSafe.text(client.clientId()), e);
            return Outcome.FAILED;
        }
    }

    /** Stops the threads; CONNECTs still waiting are not answered (their connections are closing anyway). */
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
