package io.tributary.bridge.config;

import io.tributary.bridge.config.Shape.Entries;
import io.tributary.bridge.config.Shape.Items;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the key reference of {@code docs/configuration.md} from the key declarations, so that the
 * documentation says what the readers accept.
 */
public final class ConfigReference {

    /** Keys whose variables the reference shows, each with the segments of its path. */
    private record Example(String key, List<String> segments) {
    }

    private static final List<Example> EXAMPLES = List.of(
            new Example("`data-directory`", List.of("data-directory")),
            new Example("`http-api.port`", List.of("http-api", "port")),
            new Example("`broker.max-inflight`", List.of("broker", "max-inflight")),
            new Example("`broker.listeners[0].tls.cert`", List.of("broker", "listeners", "0", "tls", "cert")),
            new Example("`bootstrap-servers` of the Kafka connection `main`",
                    List.of("connections", "kafka", "main", "bootstrap-servers")),
            new Example("`to.kafka.topic` of the route `telemetry-to-kafka`",
                    List.of("routes", "telemetry-to-kafka", "to", "kafka", "topic")),
            new Example("`retry.max-attempts` of the route `telemetry-to-kafka`",
                    List.of("routes", "telemetry-to-kafka", "retry", "max-attempts")),
            new Example("`to.jdbc.batch.size` of the route `readings`",
                    List.of("routes", "readings", "to", "jdbc", "batch", "size")));

    private ConfigReference() {
    }

    /**
     * One Markdown table per section of {@link ConfigSchema#SECTIONS}, each under a heading, then how environment
     * variables override keys.
     */
    public static String markdown() {
        return ConfigSchema.SECTIONS.stream().map(ConfigReference::table).collect(Collectors.joining("\n")) + "\n"
                + overrides();
    }

    private static String table(ConfigSection section) {
        String path = ConfigSchema.pathOf(section);
        StringBuilder out = new StringBuilder();
        out.append("### ").append(path.isEmpty() ? "Top level" : "`" + path + "`").append("\n\n");
        out.append(section.summary()).append("\n\n");
        out.append("| Key | Expects | Default | Meaning |\n");
        out.append("|---|---|---|---|\n");
        for (ConfigKey<?> key : section.keys()) {
            out.append("| `").append(key.name()).append("` | ")
                    .append(cell(key.type().expected())).append(" | ")
                    .append(key.defaultValue() == null ? cell(key.defaultText()) : "`" + cell(key.defaultText()) + "`")
                    .append(" | ")
                    .append(cell(key.doc())).append(" |\n");
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /**
     * How environment variables override keys: how a key's variable is named, with examples made by
     * {@link EnvOverrides}, and the lists, entries and mappings a variable can reach, taken from {@link ConfigTree}.
     */
    private static String overrides() {
        StringBuilder out = new StringBuilder("### Environment variable of a key\n\n");
        out.append("Every scalar key can be set by an environment variable, which wins over the file. Its name is `")
                .append(EnvOverrides.PREFIX).append("`, then the segments of the key's path upper-cased, with `-` "
                        + "and `.` written as `_`, joined by `_`. A segment is a key, or picks one of several:\n\n");
        List<ConfigTree.Placed> placed = ConfigTree.placed().stream().filter(ConfigTree.Placed::overridable).toList();
        for (ConfigTree.Placed list : placed) {
            if (list.shape() instanceof Items items && items.nameKey().isPresent()) {
                out.append("- a ").append(items.noun()).append(" of `").append(list.path()).append("` by its `")
                        .append(items.nameKey().get().name()).append("`;\n");
            }
        }
        out.append("- an item of ").append(joined(placed.stream()
                        .filter(p -> p.shape() instanceof Items items && items.nameKey().isEmpty())
                        .map(ConfigTree.Placed::path).toList(), "or"))
                .append(" by its index, from 0;\n");
        out.append("- an entry of ").append(joined(placed.stream()
                        .filter(p -> p.shape() instanceof Entries).map(ConfigTree.Placed::path).toList(), "or"))
                .append(" by its name.\n\n");
        out.append("| Key | Environment variable |\n|---|---|\n");
        for (Example example : EXAMPLES) {
            out.append("| ").append(example.key()).append(" | `").append(EnvOverrides.variable(example.segments()))
                    .append("` |\n");
        }
        out.append("\nA variable changes a value of the file, or sets a key that the file leaves out. It can add ")
                .append(mappingsOfDefaults())
                .append(", whose keys all have defaults, but nothing else: a route, listener or entry that the file "
                        + "does not have, or another mapping that it leaves out, is an error. Secrets "
                        + "(`{ env: NAME }` or `{ file: PATH }`) and whole lists have no variable. The value is taken "
                        + "as written, without `${...}` interpolation, and checked like a value in the file; its "
                        + "errors name the variable. A relative path in it is resolved against the configuration "
                        + "file's folder.\n\n");
        out.append("A variable of a top-level key, or starting with one and `_` (")
                .append(ConfigSchema.ROOT.keys().stream()
                        .map(key -> "`" + EnvOverrides.variable(List.of(key.name())) + "`")
                        .collect(Collectors.joining(", ")))
                .append("), that names no key of the file is an error, most likely a typo. Other `")
                .append(EnvOverrides.PREFIX).append("` variables, such as `TRIBUTARY_LOG_FORMAT`, are not "
                        + "overrides. Since `_` stands for `-`, `.` and the joins alike, two keys can have the same "
                        + "variable, such as the property `port` of a Kafka connection `a` and the key `port` of a "
                        + "connection `a-properties`: such a variable is an error that names both.\n");
        return out.toString();
    }

    /** The mappings that leaving out is the same as writing empty, which a variable may therefore add. */
    private static String mappingsOfDefaults() {
        return joined(ConfigTree.placed().stream()
                .flatMap(placed -> placed.section().stream().flatMap(section -> section.keys().stream()
                        .filter(ConfigKey::isMappingOfDefaults)
                        .map(key -> YamlNodeReader.child(placed.path(), key.name()))))
                .toList(), "and");
    }

    /** {@code `a`, `b` and `c`}, with {@code conjunction} before the last. */
    private static String joined(List<String> paths, String conjunction) {
        List<String> quoted = paths.stream().map(path -> "`" + path + "`").toList();
        if (quoted.size() < 2) {
            return String.join("", quoted);
        }
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " " + conjunction + " "
                + quoted.get(quoted.size() - 1);
    }
}
