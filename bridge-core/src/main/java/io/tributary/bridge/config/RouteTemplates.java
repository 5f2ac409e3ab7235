package io.tributary.bridge.config;

import io.tributary.bridge.mapping.Condition;
import io.tributary.bridge.mapping.Template;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a route's templates and condition, and checks that they use only the variables its source gives.
 * Without known variables (the source was invalid) they are checked for syntax only, so that a bad source is
 * one error rather than one per template.
 */
final class RouteTemplates {

    private final YamlNodeReader reader;

    RouteTemplates(YamlNodeReader reader) {
        this.reader = reader;
    }

    /** The template of {@code key}; empty when absent, or when invalid (reported). */
    Optional<Template> optional(YamlMapping mapping, ConfigKey<Template> key, Optional<RouteVariables> variables) {
        return mapping.value(key).flatMap(node -> template(node, mapping.pathOf(key), variables));
    }

    /** The template of a key that must be given. */
    Optional<Template> required(YamlMapping mapping, ConfigKey<Template> key, Optional<RouteVariables> variables) {
        return reader.requiredNode(mapping, key).flatMap(node -> template(node, mapping.pathOf(key), variables));
    }

    /** The template a node holds; empty, and reported, when malformed or using an unknown variable. */
    Optional<Template> template(Node node, String path, Optional<RouteVariables> variables) {
        if (isUnquotedVariable(node)) {
            reader.report(node, path, "expected a template, got a mapping: YAML reads a value that starts with '{' "
                    + "as a mapping, so quote it, as in \"{device}\"");
            return Optional.empty();
        }
        Optional<Template> template = reader.scalar(node, path, ValueTypes.template());
        return template.filter(t -> variables.isEmpty()
                || reportUnknown(t.unknownVariables(variables.get().allowed()), variables.get(), node, path));
    }

    /**
     * The templates of {@code key}, a mapping of names to templates such as headers, in file order; none when
     * the key is absent, empty when any name or template is invalid (reported).
     *
     * @param names what each name must be
     */
    Optional<Map<String, Template>> named(YamlMapping mapping, ConfigKey<Map<String, Template>> key,
                                          ValueType<String> names, Optional<RouteVariables> variables) {
        return reader.entries(mapping, key, (entry, path) -> {
            Optional<String> name = reader.key(entry, path, names);
            Optional<Template> value = template(entry.value(), path, variables);
            return name.flatMap(n -> value);
        });
    }

    /** The route's condition; empty when absent, or when invalid (reported). */
    Optional<Condition> condition(YamlMapping route, Optional<RouteVariables> variables) {
        Optional<Node> node = route.value(RouteKeys.CONDITION);
        String path = route.pathOf(RouteKeys.CONDITION);
        return node.flatMap(n -> reader.scalar(n, path, RouteKeys.CONDITION.type())
                .filter(c -> variables.isEmpty()
                        || reportUnknown(c.unknownVariables(variables.get().allowed()), variables.get(), n, path)));
    }

    /** Reports each unknown variable; true when there is none. */
    private boolean reportUnknown(List<String> unknown, RouteVariables variables, Node node, String path) {
        for (String name : unknown.stream().distinct().toList()) {
            String hint = Suggestions.closest(name, variables.names()).map(s -> " (did you mean {" + s + "}?)")
                    .orElse("");
            reader.report(node, path, "unknown variable {" + name + "}" + hint + "; known: " + variables.describe());
        }
        return unknown.isEmpty();
    }

    /** {@code key: {device}} unquoted: YAML's flow mapping {@code {device: null}}. */
    static boolean isUnquotedVariable(Node node) {
        return node instanceof MappingNode mapping && mapping.getValue().size() == 1
                && YamlNodeReader.isNull(mapping.getValue().get(0).getValueNode());
    }
}
