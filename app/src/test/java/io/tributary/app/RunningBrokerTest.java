package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class RunningBrokerTest {

    @Test
    void startedBrokerAcceptsConnectionsOnEachListener() throws Exception {
        BrokerConfig config = BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("mqtt"))
                .listener(ListenerConfig.websocket("127.0.0.1", 0, "/mqtt").named("ws"))
                .build();

        RunningBroker broker = RunningBroker.start(config);
        try {
            assertConnects(broker.boundPort("mqtt"));
            assertConnects(broker.boundPort("ws"));
        } finally {
            broker.stop();
        }
    }

    @Test
    void stopCanBeCalledTwice() throws Exception {
        RunningBroker broker = RunningBroker.start(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0)).build());

        broker.stop();
        broker.stop();
    }

    private static void assertConnects(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertTrue(socket.isConnected());
        }
    }
}
