package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {

    @TempDir
    Path folder;

    @Test
    void writesAStarterThatValidateAccepts() throws Exception {
        Path file = folder.resolve("tributary.yaml");

        Cli.Result init = Cli.run("init", file.toString());

        assertEquals(0, init.exitCode(), init.err());
        assertTrue(Files.readString(file).startsWith("# A starter configuration for Tributary"));
        Cli.Result validate = Cli.run("validate", file.toString());
        assertEquals(0, validate.exitCode(), validate.err());
        assertEquals(file + ": OK" + System.lineSeparator(), validate.out());
    }

    @Test
    void theStarterRunsWhatTheBuiltInConfigurationRuns() throws Exception {
        Path file = folder.resolve("tributary.yaml");
        Cli.run("init", file.toString());

        var starter = ConfigSource.load(file, java.util.Map.of());
        var builtIn = ConfigSource.load(null, java.util.Map.of());

        assertEquals(builtIn.broker().listeners(), starter.broker().listeners());
        assertEquals(builtIn.connections().jdbc().keySet(), starter.connections().jdbc().keySet());
        assertEquals(builtIn.connections().kafka().keySet(), starter.connections().kafka().keySet());
        assertEquals(builtIn.routes().size(), starter.routes().size());
    }

    @Test
    void refusesToReplaceAFileWithoutForce() throws Exception {
        Path file = Files.writeString(folder.resolve("mine.yaml"), "broker: {}\n");

        Cli.Result result = Cli.run("init", file.toString());

        assertEquals(1, result.exitCode());
        assertEquals("tributary init: " + file + " exists; --force replaces it" + System.lineSeparator(),
                result.err());
        assertEquals("broker: {}\n", Files.readString(file));
    }

    @Test
    void forceReplacesTheFile() throws Exception {
        Path file = Files.writeString(folder.resolve("mine.yaml"), "broker: {}\n");

        Cli.Result result = Cli.run("init", "--force", file.toString());

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(Files.readString(file).startsWith("# A starter configuration for Tributary"));
    }
}
