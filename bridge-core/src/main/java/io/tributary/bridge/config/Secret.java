package io.tributary.bridge.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where a secret (a token, a password) is read from: an environment variable or a file, never the
 * configuration itself. Its {@link #toString()} names the source, never the value, so it is safe in logs.
 *
 * @param environmentVariable the variable holding it, or null
 * @param file the file holding it (trailing line breaks are dropped), or null
 */
public record Secret(String environmentVariable, Path file) {

    public Secret {
        if ((environmentVariable == null) == (file == null)) {
            throw new IllegalArgumentException("a secret comes from exactly one of an environment variable or a file");
        }
    }

    public static Secret fromEnvironment(String variable) {
        return new Secret(Objects.requireNonNull(variable, "variable"), null);
    }

    public static Secret fromFile(Path file) {
        return new Secret(null, Objects.requireNonNull(file, "file"));
    }

    /**
     * Reads the secret now.
     *
     * @throws IllegalStateException naming the source (not the value) when it is unset, unreadable or empty
     */
    public String read(Map<String, String> environment) {
        String value;
        if (environmentVariable != null) {
            value = environment.get(environmentVariable);
            if (value == null || value.isEmpty()) {
                throw new IllegalStateException("environment variable " + environmentVariable + " is not set");
            }
            return value;
        }
        try {
            value = Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read secret file " + file + ": " + e.getMessage());
        }
        if (value.isEmpty()) {
            throw new IllegalStateException("secret file " + file + " is empty");
        }
        return value;
    }

    @Override
    public String toString() {
        return environmentVariable != null ? "environment variable " + environmentVariable : "file " + file;
    }
}
