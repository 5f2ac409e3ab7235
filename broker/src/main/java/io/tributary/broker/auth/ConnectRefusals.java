package io.tributary.broker.auth;

import io.tributary.broker.ClientInfo;
import io.tributary.broker.logging.LogSafe;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the CONNECTs refused by authentication, by reason, and logs them: at most one line per reason per
 * second, which says how many were not logged since, so that a client guessing passwords cannot fill the
 * disk. A line names the client id, user name and address, never the password.
 */
public final class ConnectRefusals {
    private static final Logger log = LoggerFactory.getLogger(ConnectRefusals.class);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Why a CONNECT was refused. */
    public enum Reason {
        /** A user name or password was given and is wrong (CONNACK 0x86 / 0x04). */
        BAD_CREDENTIALS("bad user name or password"),
        /** No credentials, and anonymous clients are not allowed there (CONNACK 0x87 / 0x05). */
        NOT_AUTHORIZED("not authorized"),
        /** Authentication was too busy or failed (CONNACK 0x89 or 0x88 / 0x03). */
        UNAVAILABLE("authentication unavailable");

        private final String text;

        Reason(String text) {
            this.text = text;
        }
    }

    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);
    private final Map<Reason, AtomicLong> nextLogAt = new EnumMap<>(Reason.class);
    private final Map<Reason, AtomicLong> suppressed = new EnumMap<>(Reason.class);

    public ConnectRefusals() {
        long now = System.nanoTime();
        for (Reason reason : Reason.values()) {
            counts.put(reason, new LongAdder());
            nextLogAt.put(reason, new AtomicLong(now));
            suppressed.put(reason, new AtomicLong());
        }
    }

    /** Counts and (rate-limited) logs one refusal. */
    public void refused(Reason reason, ClientInfo client, String detail) {
        counts.get(reason).increment();
        long now = System.nanoTime();
        AtomicLong next = nextLogAt.get(reason);
        long due = next.get();
        if (now - due < 0 || !next.compareAndSet(due, now + INTERVAL_NANOS)) {
            suppressed.get(reason).incrementAndGet();
            return;
        }
        long skipped = suppressed.get(reason).getAndSet(0);
        log.info("refused client {} (user {}) from {}: {}{}{}", LogSafe.text(client.clientId()),
                LogSafe.text(client.username()), client.remoteAddress(), reason.text,
                detail == null ? "" : " (" + detail + ")",
                skipped == 0 ? "" : "; " + skipped + " more refused for this reason since the last line");
    }

    /** How many CONNECTs were refused for {@code reason} since the start. */
    public long count(Reason reason) {
        return counts.get(reason).sum();
    }
}
