package io.tributary.it.routes;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.it.support.TestTributary;
import io.tributary.routes.BridgeStartException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Configurations that load but cannot run fail the start with a {@link BridgeStartException} that says why. */
class BridgeStartErrorTest {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeStartErrorTest.class);

    @TempDir
    Path folder;

    @Test
    void camelRoutesFileWithInvalidYamlFailsTheStartNamingTheFile() throws Exception {
        Path file = folder.resolve("broken-routes.yaml");
        Files.writeString(file, "- route:\n    from: { uri: \"tributary:a\", steps: [ { to: \"log:x\" }\n");

        BridgeStartException e = assertThrows(BridgeStartException.class, () -> TestTributary.start(folder, """
                camel-routes: [ "%s" ]
                """.formatted(file)).close());
        LOG.info("Start refused as expected: {}", e.getMessage());
        assertTrue(e.getMessage().contains("broken-routes.yaml"), e.getMessage());
    }

    @Test
    void embeddedKafkaOnATakenPortFailsTheStartNamingTheConnectionAndPort() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();

            BridgeStartException e = assertThrows(BridgeStartException.class, () -> TestTributary.start(folder, """
                    connections:
                      kafka:
                        main: { embedded: true, port: %d }
                    """.formatted(port)).close());
            LOG.info("Start refused as expected: {}", e.getMessage());
            assertTrue(e.getMessage().contains("embedded Kafka 'main'"), e.getMessage());
            assertTrue(e.getMessage().contains(Integer.toString(port)), e.getMessage());
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }
}
