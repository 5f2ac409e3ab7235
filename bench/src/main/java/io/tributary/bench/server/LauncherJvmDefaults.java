package io.tributary.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The default JVM flags of {@code bin/tributary}, read from the script itself, so that a benchmark runs Tributary's
 * jar with the flags users get and the two never drift apart.
 */
public final class LauncherJvmDefaults {
    private static final String START = "jvm_defaults=\"";

    private LauncherJvmDefaults() {
    }

    /** The flags of the {@code jvm_defaults="..."} assignment in {@code script}. */
    public static List<String> read(Path script) throws IOException {
        String text = Files.readString(script);
        int start = text.indexOf(START);
        int end = start < 0 ? -1 : text.indexOf('"', start + START.length());
        if (end < 0) {
            throw new IllegalArgumentException(script + " has no jvm_defaults=\"...\" line");
        }
        // Inside double quotes a backslash before a newline continues the line: the shell drops both.
        String flags = text.substring(start + START.length(), end).replace("\\\n", "").strip();
        return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
    }
}
