package io.tributary.bridge.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Puts the values of environment variables such as {@code TRIBUTARY_BROKER_LISTENERS_0_PORT} into a file's tree
 * before it is read, so that they win over the file and every reader checks them as it checks the file's values.
 * How a variable is named is documented by {@link ConfigReference}; it is found among the {@link OverrideTargets}
 * of the file, and one that names a top-level key but no key the file can have, or several keys, is reported.
 */
final class EnvOverrides {

    static final String PREFIX = "TRIBUTARY_";

    private static final String NODE_VARIABLE = "tributary.environment-variable";

    private final Map<String, String> overrides;
    private final EnvInterpolation interpolation;

    /** @param interpolation reads routes' names as their reader does, since variables name routes by them */
    EnvOverrides(Map<String, String> environment, EnvInterpolation interpolation) {
        this.overrides = new TreeMap<>(environment);
        overrides.keySet().removeIf(name -> !isOverride(name));
        this.interpolation = interpolation;
    }

    /**
     * The tree ({@code null} for an empty file) with every override in place, each value taken as written; each
     * variable that names no key, or a key it cannot set, is reported instead.
     */
    Node apply(Node root, ConfigErrors errors) {
        if (overrides.isEmpty()) {
            return root;
        }
        OverrideTargets targets = OverrideTargets.of(root, interpolation);
        Map<String, String> values = new TreeMap<>();
        overrides.forEach((variable, value) -> targets.problem(variable).ifPresentOrElse(
                problem -> errors.add(SourceLocation.environmentVariable(variable), problem.path(), problem.message()),
                () -> values.put(variable, value)));
        return targets.apply(root, values);
    }

    /**
     * The variable a node was made from, when it was: the readers report its problems at the variable rather than
     * at a line, and take its text as written.
     */
    static Optional<String> variableOf(Node node) {
        return Optional.ofNullable((String) node.getProperty(NODE_VARIABLE));
    }

    static <N extends Node> N remember(N node, String variable) {
        node.setProperty(NODE_VARIABLE, variable);
        return node;
    }

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
