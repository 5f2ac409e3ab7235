package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes YAML to a file in a test's temporary folder and loads it, with a chosen environment. */
final class ConfigFiles {

    private final Path folder;
    private final Map<String, String> environment;

    ConfigFiles(Path folder) {
        this(folder, Map.of());
    }

    private ConfigFiles(Path folder, Map<String, String> environment) {
        this.folder = folder;
        this.environment = environment;
    }

    /** The same files, loaded with these environment variables. */
    ConfigFiles withEnvironment(Map<String, String> variables) {
        return new ConfigFiles(folder, variables);
    }

    Path write(String name, String content) {
        try {
            return Files.writeString(folder.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TributaryConfig load(String yaml) throws ConfigException {
        return new ConfigLoader(environment).load(write("tributary.yaml", yaml));
    }

    /** The configuration of an empty file in this folder: its data directory resolved against the folder. */
    TributaryConfig defaults() {
        return TributaryConfig.defaults(folder.resolve(TributaryConfig.DEFAULT_DATA_DIRECTORY));
    }

    /** The errors of a configuration that must fail. */
    List<ConfigError> errors(String yaml) {
        Path file = write("tributary.yaml", yaml);
        return assertThrows(ConfigException.class, () -> new ConfigLoader(environment).load(file)).errors();
    }
}
