package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void versionPrintsTheProjectVersion() {
        Cli.Result result = Cli.run("version");

        assertEquals(0, result.exitCode());
        assertTrue(result.out().startsWith("tributary 0.1.0-SNAPSHOT" + System.lineSeparator() + "Java "),
                result.out());
    }

    @Test
    void versionOptionPrintsTheSameAsTheVersionCommand() {
        assertEquals(Cli.run("version").out(), Cli.run("--version").out());
    }

    @Test
    void helpListsEverySubcommand() {
        Cli.Result result = Cli.run("--help");

        assertEquals(0, result.exitCode());
        assertTrue(result.out().startsWith("Usage: tributary"), result.out());
        for (String subcommand : new String[] {"run", "validate", "init", "sql", "passwd", "version", "completion",
            "help"}) {
            assertTrue(result.out().contains("\n  " + subcommand + " "), subcommand + " missing from " + result.out());
        }
    }

    @Test
    void helpOfRunDescribesTheConfigOption() {
        Cli.Result result = Cli.run("help", "run");

        assertEquals(0, result.exitCode());
        assertTrue(result.out().contains("--config=FILE"), result.out());
    }

    @Test
    void withoutSubcommandTheUsageIsPrintedAsAUsageError() {
        Cli.Result result = Cli.run();

        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("Usage: tributary"), result.err());
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        Cli.Result result = Cli.run("serve");

        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("Unmatched argument at index 0: 'serve'"), result.err());
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(2, Cli.run("validate", "--config", "x.yaml", "--strict").exitCode());
    }
}
