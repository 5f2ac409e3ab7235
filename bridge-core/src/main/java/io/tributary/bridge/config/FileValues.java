package io.tributary.bridge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads paths written in the configuration: a relative one is resolved against the configuration file's
 * folder, so that a file works wherever Tributary is started from.
 */
final class FileValues {

    private final YamlNodeReader reader;
    private final Path baseDirectory;

    /** @param baseDirectory the configuration file's folder, or the working folder for a configuration text */
    FileValues(YamlNodeReader reader, Path baseDirectory) {
        this.reader = reader;
        this.baseDirectory = baseDirectory;
    }

    /** {@code path} resolved against the base folder, absolute and normalized. */
    Path resolve(Path path) {
        return baseDirectory.resolve(path).toAbsolutePath().normalize();
    }

    /** The file of a key read by its declaration, resolved; empty, and reported, when no regular file is there. */
    Optional<Path> existing(SectionValues values, ConfigKey<Path> key) {
        return values.optional(key).flatMap(file -> existing(file, values.node(key).orElseThrow(), values.pathOf(key)));
    }

    /** The file a scalar node names; empty, and reported, when it is invalid or no regular file exists there. */
    Optional<Path> existingFile(Node node, String path) {
        return reader.scalar(node, path, ValueTypes.file()).flatMap(file -> existing(file, node, path));
    }

    private Optional<Path> existing(Path file, Node node, String path) {
        Path resolved = resolve(file);
        if (!Files.isRegularFile(resolved)) {
            reader.report(node, path, "no such file: " + resolved);
            return Optional.empty();
        }
        return Optional.of(resolved);
    }

    /** The folder of a key, resolved; reported when a file, not a folder, is there already. */
    Optional<Path> folder(YamlMapping mapping, ConfigKey<Path> key) {
        Optional<Path> folder = reader.read(mapping, key).map(this::resolve);
        if (folder.isPresent() && Files.exists(folder.get()) && !Files.isDirectory(folder.get())) {
            reader.report(mapping.value(key).map(reader::locate).orElse(mapping.location()), mapping.pathOf(key),
                    "expected a folder, but " + folder.get() + " is a file");
            return Optional.empty();
        }
        return folder;
    }
}
