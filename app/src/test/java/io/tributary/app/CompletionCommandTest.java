package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompletionCommandTest {

    @Test
    void printsABashCompletionScriptForEverySubcommand() {
        Cli.Result result = Cli.run("completion");

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("complete -F _complete_tributary"), result.out());
        for (String command : new String[] {"run", "validate", "init", "sql", "kafka-read", "passwd"}) {
            assertTrue(result.out().contains(" " + command), command);
        }
        assertTrue(result.out().contains("--log-level"), "run's options are completed too");
    }
}
