package io.tributary.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options of the form {@code --name value} and {@code --flag}, checked against a known set. */
final class Options {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Options() {
    }

    /**
     * @param withValue names that take a value
     * @param booleanFlags names that stand alone
     */
    static Options parse(List<String> args, Set<String> withValue, Set<String> booleanFlags) {
        Options options = new Options();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                String key = name.substring(0, eq);
                require(withValue.contains(key), arg, withValue, booleanFlags);
                options.values.put(key, name.substring(eq + 1));
            } else if (booleanFlags.contains(name)) {
                options.flags.add(name);
            } else {
                require(withValue.contains(name), arg, withValue, booleanFlags);
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                options.values.put(name, args.get(++i));
            }
        }
        return options;
    }

    private static void require(boolean known, String arg, Set<String> withValue, Set<String> booleanFlags) {
        if (!known) {
            throw new IllegalArgumentException("unknown option " + arg + "; known: " + withValue + " " + booleanFlags);
        }
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        String value = values.get(name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    long longValue(String name, long fallback) {
        String value = values.get(name);
        return value == null ? fallback : Long.parseLong(value);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }
}
