package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.auth.PasswordFile;
import io.tributary.testsupport.mosquitto.MosquittoBroker;
import io.tributary.testsupport.mosquitto.MosquittoTools;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tributary passwd}: the password from standard input, never the command line; files Mosquitto reads. */
class PasswdCommandTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path folder;

    /** Runs the command in this JVM with {@code stdin} as standard input (no terminal: System.console() is null). */
    private static Cli.Result withInput(String stdin, String... args) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return Cli.run(args);
        } finally {
            System.setIn(original);
        }
    }

    private static boolean matches(Path file, String user, String password) throws Exception {
        return PasswordFile.read(file).hashOf(user).matches(password.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPipedPasswordCreatesAnOwnerOnlyFile() throws Exception {
        Path file = folder.resolve("passwd");
        // As a user types it: echo "$PW" | tributary passwd FILE USER, in a process of its own.
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "passwd", file.toString(), "alice")
                .redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write("pässword 1\n".getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("added user 'alice'"), output);
        assertFalse(output.contains("pässword"), output);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("alice:$7$1000$"), lines.get(0));
        assertTrue(matches(file, "alice", "pässword 1"));
        assertFalse(matches(file, "alice", "pässword"));
    }

    @Test
    void changingAUserKeepsTheOtherLinesAndDeleteRemovesIt() throws Exception {
        Path file = folder.resolve("passwd");
        Files.writeString(file, "# the fleet\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(TributaryCommand.OK, withInput("one\n", "passwd", file.toString(), "alice").exitCode());
        assertEquals(TributaryCommand.OK, withInput("two\n", "passwd", "--iterations", "101", file.toString(), "bob")
                .exitCode());
        Cli.Result changed = withInput("three\r\n", "passwd", file.toString(), "alice");
        assertEquals(TributaryCommand.OK, changed.exitCode(), changed.err());
        assertTrue(changed.out().contains("changed the password of 'alice'"), changed.out());

        List<String> lines = Files.readAllLines(file);
        assertEquals("# the fleet", lines.get(0));
        assertTrue(lines.get(1).startsWith("alice:$7$1000$"), lines.toString());
        assertTrue(lines.get(2).startsWith("bob:$7$101$"), lines.toString());
        assertTrue(matches(file, "alice", "three"));
        assertFalse(matches(file, "alice", "one"));
        assertTrue(matches(file, "bob", "two"));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "an existing file keeps its permissions");

        Cli.Result deleted = Cli.run("passwd", "-D", file.toString(), "alice");
        assertEquals(TributaryCommand.OK, deleted.exitCode(), deleted.err());
        assertNull(PasswordFile.read(file).hashOf("alice"));
        assertTrue(matches(file, "bob", "two"));
        Cli.Result unknown = Cli.run("passwd", "-D", file.toString(), "alice");
        assertEquals(TributaryCommand.FAILED, unknown.exitCode());
        assertTrue(unknown.err().contains("no user 'alice'"), unknown.err());
        try (var files = Files.list(folder)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void noPasswordOnTheCommandLineAndNoEmptyOne() throws Exception {
        Path file = folder.resolve("passwd");
        Cli.Result onCommandLine = withInput("", "passwd", file.toString(), "alice", "secret");
        assertEquals(TributaryCommand.USAGE, onCommandLine.exitCode());
        Cli.Result empty = withInput("\n", "passwd", file.toString(), "alice");
        assertEquals(TributaryCommand.FAILED, empty.exitCode());
        assertTrue(empty.err().contains("empty password"), empty.err());
        Cli.Result none = withInput("", "passwd", file.toString(), "alice");
        assertEquals(TributaryCommand.FAILED, none.exitCode());
        Cli.Result colon = withInput("pw\n", "passwd", file.toString(), "a:b");
        assertEquals(TributaryCommand.USAGE, colon.exitCode());
        assertFalse(Files.exists(file), "nothing written");
    }

    @Test
    void mosquittoReadsAndEditsTheFilesWeWrite() throws Exception {
        Assumptions.assumeTrue(MosquittoTools.installed("mosquitto") && MosquittoTools.installed("mosquitto_pub")
                && MosquittoTools.installed("mosquitto_passwd"),
                "mosquitto, mosquitto_pub or mosquitto_passwd is not installed (Debian packages mosquitto and "
                        + "mosquitto-clients): test skipped");
        Path file = folder.resolve("passwd");
        assertEquals(TributaryCommand.OK, withInput("s3cret\n", "passwd", file.toString(), "alice").exitCode());
        // mosquitto_passwd adds a user to our file, and we read its line.
        MosquittoTools.Result added = MosquittoTools.run(TIMEOUT,
                List.of("mosquitto_passwd", "-b", file.toString(), "bob", "hunter2"));
        assertEquals(0, added.exitCode(), added.output());
        assertTrue(matches(file, "bob", "hunter2"));

        try (MosquittoBroker mosquitto = MosquittoTools.startBroker(folder, file)) {
            for (String[] credentials : new String[][] {{"alice", "s3cret"}, {"bob", "hunter2"}}) {
                MosquittoTools.Result ok = MosquittoTools.run(TIMEOUT, List.of("mosquitto_pub", "-h", "127.0.0.1",
                        "-p", Integer.toString(mosquitto.port()), "-u", credentials[0], "-P", credentials[1],
                        "-t", "t", "-m", "m"));
                assertEquals(0, ok.exitCode(), ok.output() + mosquitto.log());
            }
            MosquittoTools.Result wrong = MosquittoTools.run(TIMEOUT, List.of("mosquitto_pub", "-h", "127.0.0.1",
                    "-p", Integer.toString(mosquitto.port()), "-u", "alice", "-P", "nope", "-t", "t", "-m", "m"));
            assertNotEquals(0, wrong.exitCode(), wrong.output());
        }
    }
}
