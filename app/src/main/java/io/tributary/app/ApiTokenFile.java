package io.tributary.app;

import io.tributary.storage.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API token of the built-in configuration: a random token in {@code data/api-token}, created on
 * first use and readable by its owner only, so that the quick start has an authenticated API without any
 * setup and without a token written in a configuration file.
 */
final class ApiTokenFile {

    /** Where the built-in configuration reads its token, relative to the working folder. */
    static final Path LOCATION = Path.of("data", "api-token");

    private static final Logger LOG = LoggerFactory.getLogger(ApiTokenFile.class);

    private ApiTokenFile() {
    }

    /** Creates the token file under {@code workingFolder} unless it exists; returns its path. */
    static Path ensure(Path workingFolder) {
        Path file = workingFolder.resolve(LOCATION);
        if (Files.exists(file)) {
            return file;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            OwnerOnlyFiles.createDirectories(file.getParent());
            Files.createFile(file, OwnerOnlyFiles.fileAttributes());
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            LOG.info("created the HTTP API token in {}", LOCATION);
        } catch (FileAlreadyExistsException raced) {
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the HTTP API token file " + file, e);
        }
        return file;
    }
}
