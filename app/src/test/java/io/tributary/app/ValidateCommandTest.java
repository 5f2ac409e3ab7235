package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    @TempDir
    Path folder;

    @Test
    void validFilePrintsOkAndExitsWithZero() throws IOException {
        Path file = Files.writeString(folder.resolve("ok.yaml"), """
                broker:
                  listeners:
                    - { type: tcp, port: 1883 }
                """);

        Cli.Result result = Cli.run("validate", "--config", file.toString());

        assertEquals(0, result.exitCode());
        assertEquals(file + ": OK" + System.lineSeparator(), result.out());
        assertEquals("", result.err());
    }

    @Test
    void unknownKeyIsPrintedWithItsLineAndExitsWithOne() throws IOException {
        Path file = Files.writeString(folder.resolve("bad.yaml"), """
                broker:
                  listeners:
                    - { type: tcp, port: 1883 }
                  max-conections: 10
                """);

        Cli.Result result = Cli.run("validate", "--config", file.toString());

        assertEquals(1, result.exitCode());
        assertEquals("", result.out());
        assertTrue(result.err().startsWith(file + ":4:3: broker.max-conections: unknown key 'max-conections' "
                + "(did you mean 'max-connections'?); allowed keys: listeners,"), result.err());
    }

    @Test
    void everyErrorIsPrintedOnItsOwnLine() throws IOException {
        Path file = Files.writeString(folder.resolve("bad.yaml"), """
                broker:
                  listeners:
                    - { port: abc }
                  queue-full-policy: drop-all
                """);

        Cli.Result result = Cli.run("validate", "--config", file.toString());

        assertEquals(1, result.exitCode());
        assertEquals(file + ":3:15: broker.listeners[0].port: expected an integer 0-65535, got 'abc'"
                + System.lineSeparator()
                + file + ":4:22: broker.queue-full-policy: expected one of drop-new, drop-oldest, got 'drop-all'"
                + System.lineSeparator(), result.err());
    }

    @Test
    void missingFileExitsWithOne() {
        Path missing = folder.resolve("absent.yaml");

        Cli.Result result = Cli.run("validate", "--config", missing.toString());

        assertEquals(1, result.exitCode());
        assertEquals(missing + ": no such file" + System.lineSeparator(), result.err());
    }

    @Test
    void invalidEnvironmentOverrideIsReported() throws IOException {
        Path file = Files.writeString(folder.resolve("ok.yaml"), "broker: {}\n");

        Cli.Result result = Cli.runWithEnvironment(Map.of("TRIBUTARY_BROKER_MAX_INFLIGHT", "0"),
                "validate", "--config", file.toString());

        assertEquals(1, result.exitCode());
        assertEquals("environment variable TRIBUTARY_BROKER_MAX_INFLIGHT: broker.max-inflight: expected an "
                + "integer 1-65535, got '0'" + System.lineSeparator(), result.err());
    }

    @Test
    void theFileMayBeGivenWithoutAnOption() throws IOException {
        Path file = Files.writeString(folder.resolve("ok.yaml"), "broker: {}\n");

        Cli.Result result = Cli.run("validate", file.toString());

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(file + ": OK" + System.lineSeparator(), result.out());
    }

    @Test
    void withoutAFileItIsAUsageError() {
        Cli.Result result = Cli.run("validate");

        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("Missing the file to check: FILE or --config=FILE"), result.err());
    }

    @Test
    void aFileGivenTwiceIsAUsageError() throws IOException {
        Path file = Files.writeString(folder.resolve("ok.yaml"), "broker: {}\n");

        Cli.Result result = Cli.run("validate", "--config", file.toString(), file.toString());

        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("Give the file once"), result.err());
    }
}
