package io.tributary.bench.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch directories for the stores, their size on disk, and the bytes this process has written to the disk. */
final class Disk {

    private Disk() {
    }

    static Path scratch(Path root) {
        try {
            return Files.createTempDirectory(root, "storechoice-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long bytesUsed(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(Disk::size).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // RocksDB deleted it meanwhile
        }
    }

    /** {@code write_bytes} of {@code /proc/self/io}: what this JVM, background threads included, sent to the disk. */
    static long bytesWrittenByThisProcess() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!file.equals(from)) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
