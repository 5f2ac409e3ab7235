package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionKeys.SECRET;
import static io.tributary.bridge.config.ConnectionKeys.SECRET_ENV;
import static io.tributary.bridge.config.ConnectionKeys.SECRET_FILE;

import java.nio.file.Path;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads a secret: the environment variable or file a password or token comes from, never its value. */
final class SecretReader {

    /** Why a secret written as a value is refused, and what to write instead. */
    static final String INLINE = "a secret is never written in the configuration: use { env: NAME } or { file: PATH }";

    private final YamlNodeReader reader;
    private final FileValues files;

    /** @param files resolves a secret's file against the configuration file's folder */
    SecretReader(YamlNodeReader reader, FileValues files) {
        this.reader = reader;
        this.files = files;
    }

    /** The secret a node describes; empty, and reported, when it is a value or names no single source. */
    Optional<Secret> read(Node node, String path) {
        // A scalar here is the secret itself (or a ${...} that would put it in the configuration's values).
        if (YamlNodeReader.isValue(node)) {
            reader.report(node, path, INLINE);
            return Optional.empty();
        }
        return reader.section(node, path, SECRET, secret -> {
            Optional<ConfigKey<?>> kind = reader.exactlyOne(secret.mapping(), SECRET);
            // A file is looked for only when it is the one source given.
            Optional<Path> file = kind.filter(k -> k == SECRET_FILE).flatMap(k -> files.existing(secret, SECRET_FILE));
            return () -> kind.orElseThrow() == SECRET_ENV ? Secret.fromEnvironment(secret.get(SECRET_ENV))
                    : Secret.fromFile(file.orElseThrow());
        });
    }
}
