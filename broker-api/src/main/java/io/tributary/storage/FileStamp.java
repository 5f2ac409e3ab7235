package io.tributary.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * What a file looked like when it was read: its modification time, size and identity (the inode, where the file
 * system has one, so that a file replaced by a rename is seen even with the same time and size). Files that are
 * re-read when they change (password and ACL files, TLS certificates and keys) compare a new stamp with the one
 * they were read at.
 *
 * @param modified null when the file could not be looked at (missing, perhaps being replaced)
 */
public record FileStamp(FileTime modified, long size, Object identity) {

    /** The stamp of a file that is not there, or cannot be looked at, now. */
    public static final FileStamp MISSING = new FileStamp(null, -1, null);

    /** The stamp of {@code file} now; {@link #MISSING} when it cannot be looked at. */
    public static FileStamp of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        } catch (IOException e) {
            return MISSING;
        }
    }

    /** The stamps of {@code files} now, in their order. */
    public static List<FileStamp> of(List<Path> files) {
        return files.stream().map(FileStamp::of).toList();
    }
}
