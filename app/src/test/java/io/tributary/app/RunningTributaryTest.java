package io.tributary.app;

import io.tributary.testsupport.net.FreePort;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.ConfigLoader;
import io.tributary.bridge.config.TributaryConfig;
import java.util.Map;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunningTributaryTest {

    @Test
    void startedBrokerAcceptsConnectionsOnEachListener() throws Exception {
        RunningTributary broker = RunningTributary.start(config("""
                broker:
                  listeners:
                    - { name: mqtt, type: tcp, port: 0 }
                    - { name: ws, type: websocket, port: 0 }
                """));
        try {
            assertConnects(broker.boundPort("mqtt"));
            assertConnects(broker.boundPort("ws"));
        } finally {
            broker.stop();
        }
    }

    @Test
    void stopCanBeCalledTwice() throws Exception {
        RunningTributary broker = RunningTributary.start(config("""
                broker:
                  listeners: [ { type: tcp, port: 0 } ]
                """));

        broker.stop();
        broker.stop();
    }

    @Test
    void routesRunBesideTheBrokerAndStopWithIt() throws Exception {
        RunningTributary tributary = RunningTributary.start(config("""
                broker:
                  listeners: [ { name: mqtt, type: tcp, port: 0 } ]
                routes:
                  - name: copy
                    from: { mqtt: "in/{device}" }
                    to:   { mqtt: { topic: "out/{device}", qos: 1 } }
                """));
        try {
            assertTrue(tributary.bridge().camelContext().getRouteController().getRouteStatus("copy").isStarted());
        } finally {
            tributary.stop();
        }
        assertTrue(tributary.bridge().camelContext().isStopped());
    }

    @Test
    void aRouteThatCannotStartStopsTheStartBeforeAnyListenerOpens(@TempDir Path folder) throws Exception {
        Path broken = Files.writeString(folder.resolve("broken.yaml"), "- route: { from: { uri: 'nosuch:x' } }\n");
        int port = FreePort.onLoopback();
        RunningTributary.StartFailedException e = assertThrows(RunningTributary.StartFailedException.class,
                () -> RunningTributary.start(config("broker:\n  listeners: [ { type: tcp, port: " + port
                        + " } ]\ncamel-routes: [ \"" + broken + "\" ]\n")));
        assertTrue(e.getMessage().contains("broken.yaml"), e.getMessage());
        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertTrue(again.isBound(), "the listener's port was never taken");
        }
    }

    @TempDir
    static Path data;

    /** {@code yaml} with its data (the broker's saved state, for one) in a folder of the test's own. */
    private static TributaryConfig config(String yaml) throws Exception {
        return new ConfigLoader(Map.of()).loadString("test.yaml",
                "data-directory: \"" + data.toAbsolutePath() + "\"\n" + yaml);
    }

    private static void assertConnects(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertTrue(socket.isConnected());
        }
    }
}
