package io.tributary.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A YAML file of the deploy examples (a compose file, a configuration) read as plain maps and lists, as written:
 * for tests that check what one file names against another. Merge keys ({@code <<}) are not resolved, so tests
 * read the keys a service writes itself.
 */
final class ComposeFile {

    private final Map<?, ?> root;

    private ComposeFile(Map<?, ?> root) {
        this.root = root;
    }

    static ComposeFile read(Path file) throws IOException {
        return new ComposeFile((Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)));
    }

    /** The value at {@code path}, or null when a key on the way is missing. */
    Object value(String... path) {
        Object node = root;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    /** The {@code services}, by name. */
    @SuppressWarnings("unchecked")
    Map<String, Object> services() {
        return (Map<String, Object>) value("services");
    }

    /** A list under one service, such as its {@code ports} or {@code volumes}, as strings. */
    List<String> serviceList(String service, String key) {
        Object list = value("services", service, key);
        return list == null ? List.of() : ((List<?>) list).stream().map(String::valueOf).toList();
    }

    /** A service's {@code environment}, as written in the service itself. */
    Map<?, ?> environment(String service) {
        Object environment = value("services", service, "environment");
        return environment == null ? Map.of() : (Map<?, ?>) environment;
    }
}
