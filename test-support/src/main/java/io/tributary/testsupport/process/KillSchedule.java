package io.tributary.testsupport.process;

import java.time.Duration;
import java.util.Random;

/**
 * When a crash test kills its process: a seeded {@link Random}, so that a failing run can be repeated with
 * {@code -D}{@value #SEED_PROPERTY}{@code =SEED}. The seed is printed when the schedule is made.
 */
public final class KillSchedule {
    /** The system property that fixes the seed; without it each run picks one. */
    public static final String SEED_PROPERTY = "tributary.crash.seed";

    private final long seed;
    private final Random random;
    private final Duration earliest;
    private final Duration latest;

    private KillSchedule(long seed, Duration earliest, Duration latest) {
        this.seed = seed;
        this.random = new Random(seed);
        this.earliest = earliest;
        this.latest = latest;
    }

    /** A kill between {@code earliest} and {@code latest} after traffic starts; prints the seed with {@code name}. */
    public static KillSchedule between(String name, Duration earliest, Duration latest) {
        String fixed = System.getProperty(SEED_PROPERTY);
        long seed = fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : System.nanoTime();
        System.out.println("[crash] " + name + ": seed " + seed + " (repeat with -D" + SEED_PROPERTY + "=" + seed
                + ")");
        return new KillSchedule(seed, earliest, latest);
    }

    public long seed() {
        return seed;
    }

    /** How long to let traffic run before the next kill: uniform between the schedule's bounds. */
    public Duration nextKill() {
        long span = latest.toMillis() - earliest.toMillis();
        return earliest.plusMillis(span <= 0 ? 0 : random.nextLong(span + 1));
    }

    /** The schedule's random source, for the other choices of the test (which client is online, ...). */
    public Random random() {
        return random;
    }
}
