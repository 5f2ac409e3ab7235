package io.tributary.bridge.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Finds the allowed word a mistyped one was probably meant to be, for "did you mean" hints. */
final class Suggestions {

    private static final int MAX_EDITS = 2;

    private Suggestions() {
    }

    /**
     * The closest candidate within two edits, if any. A candidate that takes as many edits as the typed word
     * has characters shares nothing with it, so {@code y} suggests nothing rather than {@code x}.
     */
    static Optional<String> closest(String typed, Collection<String> candidates) {
        return candidates.stream()
                .filter(c -> distance(typed, c) <= MAX_EDITS && distance(typed, c) < typed.length())
                .min(Comparator.comparingInt(c -> distance(typed, c)));
    }

    /** Levenshtein distance, case-insensitive. */
    static int distance(String a, String b) {
        String x = a.toLowerCase(java.util.Locale.ROOT);
        String y = b.toLowerCase(java.util.Locale.ROOT);
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int substitution = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length()];
    }
}
