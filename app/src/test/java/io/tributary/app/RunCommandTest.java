package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ways {@code tributary run} fails before it starts; the running process is in {@link RunProcessTest}. */
class RunCommandTest {

    @TempDir
    Path folder;

    @Test
    void invalidConfigurationIsPrintedAndNothingStarts() throws IOException {
        Path file = Files.writeString(folder.resolve("bad.yaml"), """
                broker:
                  listeners:
                    - { port: 99999 }
                """);

        Cli.Result result = Cli.run("run", "--config", file.toString());

        assertEquals(1, result.exitCode());
        assertEquals(file + ":3:15: broker.listeners[0].port: expected an integer 0-65535, got '99999'"
                + System.lineSeparator(), result.err());
    }

    @Test
    void portAlreadyTakenFailsNamingTheListenerAndPort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = Files.writeString(folder.resolve("taken.yaml"), """
                    broker:
                      listeners:
                        - { host: 127.0.0.1, port: %d }
                    """.formatted(taken.getLocalPort()));

            Cli.Result result = Cli.run("run", "--config", file.toString());

            assertEquals(1, result.exitCode());
            assertTrue(result.err().startsWith("tributary: cannot start with " + file + ": "), result.err());
            assertTrue(result.err().contains("127.0.0.1:" + taken.getLocalPort()), result.err());
        }
    }

    @Test
    void anUnknownLogLevelIsAUsageErrorNamingTheLevels() {
        Cli.Result result = Cli.run("run", "--log-level", "loud");

        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("Invalid value for option '--log-level': expected one of [DEBUG, INFO, WARN, "
                + "ERROR] (case-insensitive) but was 'loud'"), result.err());
    }
}
