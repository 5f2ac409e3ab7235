package io.tributary.broker.transport;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import io.tributary.broker.ListenerConfig;
import io.tributary.testsupport.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reloading TLS context of a listener, driven directly: each look for changes is a call here. */
class ServerTlsTest {
    @TempDir
    Path dir;

    @Test
    void unchangedFilesKeepTheContext() {
        ServerTls tls = ServerTls.load("tls", files(dir));
        SslContext first = tls.current();
        tls.checkForChanges();
        assertSame(first, tls.current());
    }

    @Test
    void aRenewedCertificateReplacesTheContextAndABrokenOneKeepsThePrevious() throws Exception {
        ListenerConfig.Tls config = files(dir);
        ServerTls tls = ServerTls.load("tls", config);
        SslContext first = tls.current();

        Files.writeString(config.privateKey(), "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
        touch(config.privateKey(), 10);
        tls.checkForChanges();
        assertSame(first, tls.current(), "a key that cannot be read keeps the previous context");

        TestCertificates.authority("Renewed CA").server("localhost").write(dir, "server");
        touch(config.certificateChain(), 20);
        touch(config.privateKey(), 20);
        tls.checkForChanges();
        assertNotSame(first, tls.current(), "a renewed certificate and key make a new context");
    }

    @Test
    void aRenewedClientCaReplacesTheContext() throws Exception {
        Path ca = TestCertificates.authority("Devices 2025").writeCertificate(dir.resolve("ca.crt"));
        ServerTls tls = ServerTls.load("tls", files(dir).withClientCa(ca, ListenerConfig.ClientAuth.REQUIRED));
        SslContext first = tls.current();

        TestCertificates.authority("Devices 2026").writeCertificate(ca);
        touch(ca, 10);
        tls.checkForChanges();
        assertNotSame(first, tls.current());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingTheFile() {
        ListenerConfig.Tls config = files(dir);
        TestCertificates.authority("Other").server("localhost").writeKey(config.privateKey());
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.load("tls", config));
        assertTrue(failure.getMessage().contains(config.privateKey().toString()), failure.getMessage());
    }

    private static ListenerConfig.Tls files(Path dir) {
        TestCertificates.Issued.Written written = TestCertificates.authority("CA").server("localhost")
                .write(dir, "server");
        return new ListenerConfig.Tls(written.certificate(), written.key());
    }

    /** Moves the file's date forward, so the change is seen even where dates are coarse. */
    private static void touch(Path file, int seconds) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(seconds)));
    }
}
