package io.tributary.bridge.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the key reference of {@code docs/configuration.md} from the key declarations, so that the
 * documentation says what the readers accept.
 */
public final class ConfigReference {

    private ConfigReference() {
    }

    /**
     * One Markdown table per section of {@link ConfigSchema#SECTIONS}, each under a heading, then how environment
     * variables override keys.
     */
    public static String markdown() {
        return markdown(ConfigSchema.SECTIONS) + "\n" + OverrideReference.markdown();
    }

    /** One Markdown table per section, each under a heading. */
    public static String markdown(List<ConfigSection> sections) {
        return sections.stream().map(ConfigReference::table).collect(Collectors.joining("\n"));
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
                    .append(defaultCell(key)).append(" | ")
                    .append(cell(key.doc())).append(" |\n");
        }
        return out.toString();
    }

    private static String defaultCell(ConfigKey<?> key) {
        return key.defaultValue() == null ? cell(key.defaultText()) : "`" + cell(key.defaultText()) + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
