package io.tributary.broker.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.ListenerConfig;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.tls.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.1 is refused by a listener with the default protocols. The JDK's own client cannot even offer TLS 1.1
 * (disabled in {@code java.security}), so OpenSSL's {@code s_client} offers it, with its security level lowered
 * so that it is willing to; the server's "protocol version" alert is what tells the refusal came from the broker.
 */
class OldTlsVersionTest {
    @TempDir
    Path dir;

    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    @Test
    void tls11IsRefusedByTheServerWhileTls12IsAccepted() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(OPENSSL), "openssl is not installed");
        TestCertificates.Authority ca = TestCertificates.authority("Test CA");
        TestCertificates.Issued.Written server = ca.server("localhost").write(dir, "server");
        Path caFile = ca.writeCertificate(dir.resolve("ca.crt"));
        ListenerConfig.Tls tls = new ListenerConfig.Tls(server.certificate(), server.key());
        try (RunningBroker broker = RunningBroker.start(
                c -> c.listener(ListenerConfig.tcp("127.0.0.1", 0).named("tls").withTls(tls)))) {
            int port = broker.broker().boundPort("tls");
            Result tls12 = sClient(port, caFile, "-tls1_2");
            assertEquals(0, tls12.exitCode(), tls12.output());
            assertTrue(tls12.output().contains("TLSv1.2"), tls12.output());

            Result tls11 = sClient(port, caFile, "-tls1_1");
            assertNotEquals(0, tls11.exitCode(), tls11.output());
            assertTrue(tls11.output().contains("alert protocol version"), tls11.output());
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result sClient(int port, Path caFile, String version) throws Exception {
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString(), "s_client", "-connect",
                "127.0.0.1:" + port, "-CAfile", caFile.toString(), version, "-cipher", "DEFAULT:@SECLEVEL=0"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("openssl s_client did not end: " + output);
            }
            return new Result(process.exitValue(), output);
        } finally {
            process.destroyForcibly();
        }
    }
}
