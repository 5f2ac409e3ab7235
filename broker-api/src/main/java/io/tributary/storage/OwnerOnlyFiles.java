package io.tributary.storage;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Creates the folders and files in which Tributary keeps messages and secrets (broker state, embedded databases,
 * the API token, the webhook registry) readable by their owner only. Folders that already exist keep their
 * permissions: they are the operator's. On a file system without POSIX permissions the defaults apply.
 */
public final class OwnerOnlyFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnlyFiles() {
    }

    /** Creates {@code directory} and its missing parents as {@code rwx------}. */
    public static Path createDirectories(Path directory) throws IOException {
        if (!POSIX || Files.isDirectory(directory)) {
            return Files.createDirectories(directory);
        }
        return Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    /** The attributes that create a file as {@code rw-------}; none without POSIX permissions. */
    public static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }
}
