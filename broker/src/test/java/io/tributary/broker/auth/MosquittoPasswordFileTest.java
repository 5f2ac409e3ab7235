package io.tributary.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testsupport.mosquitto.MosquittoBroker;
import io.tributary.testsupport.mosquitto.MosquittoTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both directions with the real Mosquitto: its {@code mosquitto_passwd} files read here, ours read by it. */
class MosquittoPasswordFileTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static void assumeInstalled(String binary) {
        Assumptions.assumeTrue(MosquittoTools.installed(binary),
                binary + " is not installed (Debian packages mosquitto and mosquitto-clients): test skipped");
    }

    @Test
    void filesWrittenByMosquittoPasswdAreRead(@TempDir Path dir) throws Exception {
        assumeInstalled("mosquitto_passwd");
        Path file = dir.resolve("passwd");
        run("mosquitto_passwd", "-b", "-c", file.toString(), "alice", "s3cret pass");
        run("mosquitto_passwd", "-H", "sha512", "-b", file.toString(), "bob", "hunter2");
        run("mosquitto_passwd", "-b", file.toString(), "carol", "ünïcödé");
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.get(0).startsWith("alice:$7$101$"), lines.get(0));
        assertTrue(lines.get(1).startsWith("bob:$6$"), lines.get(1));

        PasswordFile read = PasswordFile.read(file);
        assertEquals(3, read.size());
        assertTrue(read.hashOf("alice").matches(bytes("s3cret pass")));
        assertFalse(read.hashOf("alice").matches(bytes("s3cret")));
        assertTrue(read.hashOf("bob").matches(bytes("hunter2")));
        assertFalse(read.hashOf("bob").matches(bytes("hunter3")));
        assertTrue(read.hashOf("carol").matches(bytes("ünïcödé")));
    }

    @Test
    void mosquittoAcceptsTheFilesWeWrite(@TempDir Path dir) throws Exception {
        assumeInstalled("mosquitto");
        assumeInstalled("mosquitto_pub");
        Path file = dir.resolve("passwd");
        Files.writeString(file, "alice:" + PasswordHash.pbkdf2(bytes("s3cret"), PasswordHash.DEFAULT_ITERATIONS).format()
                + "\nbob:" + PasswordHash.pbkdf2(bytes("other"), 101).format() + "\n");
        try (MosquittoBroker mosquitto = MosquittoTools.startBroker(dir, file)) {
            String port = Integer.toString(mosquitto.port());
            MosquittoTools.Result ok = MosquittoTools.run(TIMEOUT, List.of("mosquitto_pub", "-h", "127.0.0.1",
                    "-p", port, "-u", "alice", "-P", "s3cret", "-t", "t", "-m", "m"));
            assertEquals(0, ok.exitCode(), ok.output() + mosquitto.log());
            MosquittoTools.Result bob = MosquittoTools.run(TIMEOUT, List.of("mosquitto_pub", "-h", "127.0.0.1",
                    "-p", port, "-u", "bob", "-P", "other", "-t", "t", "-m", "m"));
            assertEquals(0, bob.exitCode(), bob.output() + mosquitto.log());
            MosquittoTools.Result wrong = MosquittoTools.run(TIMEOUT, List.of("mosquitto_pub", "-h", "127.0.0.1",
                    "-p", port, "-u", "alice", "-P", "wrong", "-t", "t", "-m", "m"));
            assertNotEquals(0, wrong.exitCode(), wrong.output());
        }
    }

    private static void run(String... command) throws Exception {
        MosquittoTools.Result result = MosquittoTools.run(TIMEOUT, List.of(command));
        assertEquals(0, result.exitCode(), result.output());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
