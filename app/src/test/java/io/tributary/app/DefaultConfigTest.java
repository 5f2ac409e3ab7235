package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.bridge.config.ConfigException;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultConfigTest {

    @Test
    void bundledDefaultListensOnLoopbackTcp1883AndWebsocket8083() throws ConfigException {
        BrokerConfig config = ConfigSource.load(null, Map.of()).broker();

        assertEquals(List.of(
                ListenerConfig.tcp("127.0.0.1", 1883),
                ListenerConfig.websocket("127.0.0.1", 8083, "/mqtt")), config.listeners());
    }

    @Test
    void bundledDefaultKeepsEveryLimitAtItsDefault() throws ConfigException {
        BrokerConfig config = ConfigSource.load(null, Map.of()).broker();
        BrokerConfig defaults = BrokerConfig.builder().build();

        assertEquals(defaults.maxPacketSize(), config.maxPacketSize());
        assertEquals(defaults.maxConnections(), config.maxConnections());
        assertEquals(defaults.maxInFlight(), config.maxInFlight());
        assertEquals(defaults.queueFullPolicy(), config.queueFullPolicy());
    }
}
