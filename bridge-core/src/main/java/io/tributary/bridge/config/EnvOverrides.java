package io.tributary.bridge.config;

import io.tributary.bridge.config.OverrideTargets.Collection;
import io.tributary.bridge.config.OverrideTargets.Problem;
import io.tributary.bridge.config.OverrideTargets.Scope;
import io.tributary.bridge.config.OverrideTargets.Target;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Puts the values of environment variables such as {@code TRIBUTARY_BROKER_MAX_INFLIGHT} or
 * {@code TRIBUTARY_ROUTES_TELEMETRY_RETRY_MAX_ATTEMPTS} into a file's tree before it is read, so that they win
 * over the file and every reader checks them as it checks the file's values. A variable is named
 * {@code TRIBUTARY_}, then each segment of the key's path upper-cased, with '-' and '.' written as '_', joined by
 * '_'. A segment is a key, the name of an entry or of a route, or the index of a list item:
 * {@code broker.listeners[0].port} is {@code TRIBUTARY_BROKER_LISTENERS_0_PORT}. It is found among the
 * {@link OverrideTargets} of the file. One that names a top-level key but no key the file can have (most likely a
 * typo), or several keys, is reported.
 */
final class EnvOverrides {

    /** What every overriding variable starts with. */
    static final String PREFIX = "TRIBUTARY_";

    private final Map<String, String> overrides;
    private final EnvInterpolation interpolation;

    /** @param interpolation reads routes' names as their reader does, since variables name routes by them */
    EnvOverrides(Map<String, String> environment, EnvInterpolation interpolation) {
        this.overrides = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (isOverride(name)) {
                overrides.put(name, value);
            }
        });
        this.interpolation = interpolation;
    }

    /**
     * The tree with every override in place, each value taken as written; each variable that names no key, or
     * a key it cannot set, is reported instead.
     *
     * @param root the top of the file; null when it is empty
     */
    Node apply(Node root, ConfigErrors errors) {
        if (overrides.isEmpty()) {
            return root;
        }
        OverrideTargets targets = OverrideTargets.of(root, interpolation);
        Node result = root;
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            String variable = override.getKey();
            List<Target> named = targets.named(variable);
            Optional<Problem> problem = named.size() == 1 ? named.get(0).blocked()
                    : Optional.of(named.isEmpty() ? unknown(variable, targets) : ambiguous(named));
            if (problem.isPresent()) {
                errors.add(SourceLocation.environmentVariable(variable), problem.get().path(),
                        problem.get().message());
            } else {
                result = OverrideNodes.set(result, named.get(0).steps(),
                        OverrideNodes.scalar(variable, override.getValue()));
            }
        }
        return result;
    }

    private static Problem ambiguous(List<Target> named) {
        return new Problem("", "matches more than one key: " + named.stream().map(Target::path)
                .collect(Collectors.joining(", ")) + "; rename one so that each variable names one key");
    }

    /** A variable that names a missing route, listener or entry, or else no key at all. */
    private static Problem unknown(String variable, OverrideTargets targets) {
        return targets.collectionOf(variable).flatMap(c -> missingItem(variable, c))
                .orElseGet(() -> noKey(variable, targets));
    }

    /**
     * The item of {@code collection} that {@code variable} names, when the file has no such item. Where its name
     * ends is not known, since '_' joins the name and the key: the item is taken to end before the last key of
     * an item that follows it.
     */
    private static Optional<Problem> missingItem(String variable, Collection collection) {
        String rest = variable.substring(collection.prefix().length());
        boolean inFile = collection.items().keySet().stream()
                .anyMatch(item -> rest.equals(item) || rest.startsWith(item + "_"));
        if (inFile || rest.isEmpty()) {
            return Optional.empty();
        }
        String item = rest.substring(0, itemEnd(rest, collection.itemKeys()));
        String key = rest.substring(item.length());
        String hint = Suggestions.closest(item, collection.items().keySet())
                .map(closest -> " (did you mean " + collection.prefix() + closest + key + "?)").orElse("");
        String noun = collection.noun();
        return Optional.of(new Problem(collection.path(), "no " + noun + (collection.byName() ? " named " : " ") + item
                + " in the file" + hint + "; an environment variable can change a " + noun + " of the file but "
                + "not add one"));
    }

    private static int itemEnd(String rest, List<String> itemKeys) {
        for (int end = rest.lastIndexOf('_'); end > 0; end = rest.lastIndexOf('_', end - 1)) {
            String after = rest.substring(end + 1);
            if (itemKeys.stream().anyMatch(key -> after.equals(key) || after.startsWith(key + "_"))) {
                return end;
            }
        }
        return rest.length();
    }

    private static Problem noKey(String variable, OverrideTargets targets) {
        Scope scope = targets.scopeOf(variable);
        String rest = variable.substring(scope.prefix().length());
        String hint = Suggestions.closest(variable, targets.variables()).map(s -> " (did you mean " + s + "?)")
                .or(() -> scope.section().keys().stream()
                        .filter(key -> !key.type().isScalar() && spell(key.name()).equals(rest))
                        .findFirst()
                        .map(key -> " (" + key.name() + " is " + key.type().expected() + ", not one value)"))
                .orElse("");
        String keys = scope.section().keys().stream().filter(key -> key.type().isScalar()).map(ConfigKey::name)
                .collect(Collectors.joining(", "));
        String where = scope.path().isEmpty() ? "the top level" : "'" + scope.path() + "'";
        return new Problem("", "matches no key of " + where + hint
                + (keys.isEmpty() ? "" : "; " + scope.prefix() + "* can override " + keys));
    }

    /** The variable of the key at {@code segments}. */
    static String variable(List<String> segments) {
        return PREFIX + segments.stream().map(EnvOverrides::spell).collect(Collectors.joining("_"));
    }

    /** One segment as a variable writes it: {@code max-inflight} is {@code MAX_INFLIGHT}. */
    static String spell(String segment) {
        return segment.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /**
     * Whether a variable is meant as an override: it names a top-level key or something under it, such as
     * {@code TRIBUTARY_BROKER_MAX_INFLIGHT}. Other {@code TRIBUTARY_} variables, such as
     * {@code TRIBUTARY_LOG_FORMAT}, are left to whoever reads them.
     */
    private static boolean isOverride(String variable) {
        if (!variable.startsWith(PREFIX)) {
            return false;
        }
        String rest = variable.substring(PREFIX.length());
        return ConfigSchema.ROOT.keys().stream().map(key -> spell(key.name()))
                .anyMatch(top -> rest.equals(top) || rest.startsWith(top + "_"));
    }
}
