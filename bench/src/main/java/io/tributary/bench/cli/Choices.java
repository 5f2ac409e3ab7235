package io.tributary.bench.cli;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Picks the named entries of a comma-separated option (such as {@code --brokers}) in the order given. */
final class Choices {

    private Choices() {
    }

    /** Picks among {@code values} by the id each one has. */
    static <T> List<T> pick(List<String> ids, Collection<T> values, Function<T, String> id, String what) {
        Map<String, T> known = new LinkedHashMap<>();
        values.forEach(value -> known.put(id.apply(value), value));
        return pick(ids, known, what);
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
