package io.tributary.it.crash;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a folder for one test, so that the disk can be filled for real; unmounted by
 * {@link #close()}. Mounting needs root: where it cannot be done the test is skipped, saying why.
 */
final class SmallDisk implements AutoCloseable {
    private final Path mountPoint;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code size} (as mount's {@code size=} option, such as {@code 8m}) on {@code mountPoint}. */
    static SmallDisk mount(Path mountPoint, String size) throws IOException, InterruptedException {
        assumeTrue("0".equals(run(List.of("id", "-u")).output().trim()),
                "skipped: mounting a small tmpfs to fill needs root");
        Files.createDirectories(mountPoint);
        Result mounted = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString()));
        assumeTrue(mounted.exitCode() == 0, () -> "skipped: cannot mount a tmpfs on " + mountPoint + " (exit "
                + mounted.exitCode() + "): " + mounted.output().trim());
        return new SmallDisk(mountPoint);
    }

    Path root() {
        return mountPoint;
    }

    /**
     * Writes {@code file} until the file system is full, then gives back {@code leaveFree} bytes by truncating it.
     * Returns the file's size.
     */
    long fillLeaving(Path file, long leaveFree) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long written = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            try {
                while (true) {
                    chunk.clear();
                    written += channel.write(chunk);
                }
            } catch (IOException full) {
                // ENOSPC: the file system is full
            }
            long size = Math.max(0, written - leaveFree);
            channel.truncate(size);
            return size;
        }
    }

    /**
     * Gives the file system {@code size} in all (remount), as an operator adding space would: RocksDB resumes writing
     * by itself once there is room for its work, which a few megabytes freed on a tiny disk do not give it.
     */
    void grow(String size) throws IOException, InterruptedException {
        Result grown = run(List.of("mount", "-o", "remount,size=" + size, mountPoint.toString()));
        if (grown.exitCode() != 0) {
            throw new IOException("cannot grow " + mountPoint + " to " + size + ": " + grown.output().trim());
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (run(List.of("umount", mountPoint.toString())).exitCode() != 0) {
            run(List.of("umount", "-l", mountPoint.toString()));
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, output + " (timed out)");
        }
        return new Result(process.exitValue(), output);
    }
}
