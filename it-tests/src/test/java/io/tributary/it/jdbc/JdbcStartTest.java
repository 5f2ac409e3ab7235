package io.tributary.it.jdbc;

import io.tributary.testsupport.net.FreePort;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.it.support.TestTributary;
import io.tributary.routes.BridgeStartException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the start of a route into a database depends on: its password must be readable, the database itself
 * need not be up.
 */
class JdbcStartTest {

    @TempDir
    Path folder;

    @Test
    void aPasswordThatCannotBeReadFailsTheStartNamingWhereItWasLookedFor() {
        String variable = "TRIBUTARY_TEST_UNSET_" + Long.toHexString(System.nanoTime()).toUpperCase();
        BridgeStartException e = assertThrows(BridgeStartException.class, () -> TestTributary.start(folder, """
                connections:
                  jdbc:
                    pg: { url: "jdbc:postgresql://127.0.0.1:%d/tributary", username: app, password: { env: %s } }
                routes:
                  - name: to-pg
                    from: { mqtt: "t/{device}" }
                    to: { jdbc: { connection: pg, table: t, columns: { device: "{device}" } } }
                """.formatted(FreePort.onLoopback(), variable)).close());
        assertTrue(e.getMessage().contains("environment variable " + variable + " is not set"), e.getMessage());
    }

    @Test
    void aDatabaseThatIsDownAtStartDoesNotStopTheBridgeFromStarting() throws Exception {
        try (TestTributary tributary = TestTributary.start(folder, """
                connections:
                  jdbc:
                    pg: { url: "jdbc:postgresql://127.0.0.1:%d/tributary", username: app }
                routes:
                  - name: to-pg
                    from: { mqtt: "t/{device}" }
                    to: { jdbc: { connection: pg, table: t, columns: { device: "{device}" }, create-table: true } }
                """.formatted(FreePort.onLoopback()))) {
            assertTrue(tributary.bridge().camelContext().getRouteController()
                    .getRouteStatus("to-pg").isStarted(), "the route did not start");
        }
    }
}
