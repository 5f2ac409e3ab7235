package io.tributary.bench.cli;

import java.util.List;
import java.util.Map;

/** Picks the named entries of a comma-separated option (such as {@code --brokers}) in the order given. */
final class Choices {

    private Choices() {
    }

    static <T> List<T> pick(List<String> ids, Map<String, T> known, String what) {
        return ids.stream().map(String::trim).map(id -> {
            T choice = known.get(id);
            if (choice == null) {
                throw new IllegalArgumentException("unknown " + what + " " + id + "; known: " + known.keySet());
            }
            return choice;
        }).toList();
    }
}
