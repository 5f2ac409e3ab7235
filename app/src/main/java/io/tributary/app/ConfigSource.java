package io.tributary.app;

import io.tributary.bridge.config.ConfigException;
import io.tributary.bridge.config.ConfigLoader;
import io.tributary.bridge.config.TributaryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Where a command takes its configuration from: the file named by {@code --config}, or the bundled default. */
final class ConfigSource {

    /** The configuration used without {@code --config}: TCP 127.0.0.1:1883 and WebSocket 127.0.0.1:8083/mqtt. */
    static final String DEFAULT_RESOURCE = "tributary-default.yaml";

    private ConfigSource() {
    }

    /**
     * Loads {@code file}, or the bundled default when it is {@code null}.
     *
     * @throws ConfigException naming every problem
     */
    static TributaryConfig load(Path file, Map<String, String> environment) throws ConfigException {
        ConfigLoader loader = new ConfigLoader(environment);
        if (file == null) {
            ApiTokenFile.ensure(Path.of("").toAbsolutePath());
            return loader.loadString(DEFAULT_RESOURCE, bundledDefault());
        }
        return loader.load(file);
    }

    /** How messages name the configuration. */
    static String describe(Path file) {
        return file == null ? "the built-in " + DEFAULT_RESOURCE : file.toString();
    }

    private static String bundledDefault() {
        try (InputStream in = ConfigSource.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
