package io.tributary.bridge.config;

import io.tributary.bridge.mapping.Condition;
import io.tributary.bridge.mapping.Template;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a route's templates and condition, and checks that they use only the variables its source gives.
 * Without known variables (the source was invalid) they are checked for syntax only, so that a bad source is
 * one error rather than one per template.
 */
final class RouteTemplates {

    private final YamlNodeReader reader;
    private final Optional<RouteVariables> variables;

    RouteTemplates(YamlNodeReader reader, Optional<RouteVariables> variables) {
        this.reader = reader;
        this.variables = variables;
    }

    /** The templates of the route's dead-letter destination, which may also use what it adds. */
    RouteTemplates forDeadLetter() {
        return new RouteTemplates(reader, variables.map(RouteVariables::forDeadLetter));
    }

    /** The template a node holds; empty, and reported, when malformed or using an unknown variable. */
    Optional<Template> template(Node node, String path) {
        if (isUnquotedVariable(node)) {
            reader.report(node, path, "expected a template, got a mapping: YAML reads a value that starts with '{' "
                    + "as a mapping, so quote it, as in \"{device}\"");
            return Optional.empty();
        }
        return reader.scalar(node, path, ValueTypes.template()).filter(t -> known(t::unknownVariables, node, path));
    }

    /**
     * The templates of {@code key}, a mapping of names to templates such as headers, in file order; none when
     * the key is absent, empty when any name or template is invalid (reported).
     *
     * @param names what each name must be
     */
    Optional<Map<String, Template>> named(YamlMapping mapping, ConfigKey<Map<String, Template>> key,
                                          ValueType<String> names) {
        return reader.entries(mapping, key, (entry, path) -> {
            Optional<String> name = reader.key(entry, path, names);
            Optional<Template> value = template(entry.value(), path);
            return name.flatMap(n -> value);
        });
    }

    /** The route's condition; empty when absent, or when invalid (reported). */
    Optional<Condition> condition(YamlMapping route) {
        return reader.optional(route, RouteKeys.CONDITION, (node, path) -> reader.scalar(node, path,
                RouteKeys.CONDITION.type()).filter(c -> known(c::unknownVariables, node, path)));
    }

    /** Reports each variable that is not known; true when there is none, or when no variables are known. */
    private boolean known(Function<Collection<String>, List<String>> unknownOf, Node node, String path) {
        if (variables.isEmpty()) {
            return true;
        }
        List<String> unknown = unknownOf.apply(variables.get().allowed()).stream().distinct().toList();
        for (String name : unknown) {
            String hint = Suggestions.closest(name, variables.get().names()).map(s -> " (did you mean {" + s + "}?)")
                    .orElse("");
            reader.report(node, path, "unknown variable {" + name + "}" + hint + "; known: "
                    + variables.get().describe());
        }
        return unknown.isEmpty();
    }

    /** {@code key: {device}} unquoted: YAML's flow mapping {@code {device: null}}. */
    static boolean isUnquotedVariable(Node node) {
        return node instanceof MappingNode mapping && mapping.getValue().size() == 1
                && YamlNodeReader.isNull(mapping.getValue().get(0).getValueNode());
    }
}
