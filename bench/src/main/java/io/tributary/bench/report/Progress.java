package io.tributary.bench.report;

import java.util.Locale;

/** One line of progress on standard error while a benchmark runs; standard output carries only the tables. */
public final class Progress {

    private Progress() {
    }

    public static void say(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }
}
