package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tributary.bridge.config.BrokerSettings;
import io.tributary.bridge.config.ListenerSettings;
import io.tributary.bridge.config.TlsSettings;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.ListenerType;
import io.tributary.broker.QueueFullPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrokerConfigMapperTest {

    @Test
    void defaultSettingsMapToTheBrokersOwnDefaults() {
        assertEquals(BrokerConfig.builder().build(), BrokerConfigMapper.toBrokerConfig(BrokerSettings.defaults()));
    }

    @Test
    void everyLimitIsCarriedOver() {
        BrokerSettings settings = new BrokerSettings(List.of(ListenerSettings.defaultListener()), 2048, 50, 10, 20,
                QueueFullPolicy.DROP_OLDEST, 120, 3600L, 5, 7, Duration.ofSeconds(30), false);

        BrokerConfig config = BrokerConfigMapper.toBrokerConfig(settings);

        assertEquals(2048, config.maxPacketSize());
        assertEquals(50, config.maxConnections());
        assertEquals(10, config.maxInFlight());
        assertEquals(20, config.maxQueuedMessages());
        assertEquals(QueueFullPolicy.DROP_OLDEST, config.queueFullPolicy());
        assertEquals(120, config.maxKeepAliveSeconds());
        assertEquals(3600L, config.maxSessionExpirySeconds());
        assertEquals(5, config.topicAliasMaximum());
        assertEquals(7, config.connectTimeoutSeconds());
        assertEquals(Duration.ofSeconds(30), config.sysInterval());
    }

    @Test
    void persistenceKeepsTheBrokersStateUnderTheDataDirectoryUnlessTurnedOff() {
        BrokerSettings on = BrokerSettings.defaults();
        BrokerSettings off = new BrokerSettings(on.listeners(), on.maxPacketSize(), on.maxConnections(),
                on.maxInflight(), on.maxQueuedMessages(), on.queueFullPolicy(), on.maxKeepAlive(),
                on.maxSessionExpiry(), on.topicAliasMaximum(), on.connectTimeout(), on.sysInterval(), false);

        assertEquals(Path.of("/data/broker"),
                BrokerConfigMapper.toBrokerConfig(on, Path.of("/data")).persistenceDirectory());
        assertEquals(null, BrokerConfigMapper.toBrokerConfig(off, Path.of("/data")).persistenceDirectory());
        assertEquals(null, BrokerConfigMapper.toBrokerConfig(on).persistenceDirectory());
    }

    @Test
    void zeroSysIntervalTurnsTheSysTopicsOff() {
        BrokerSettings defaults = BrokerSettings.defaults();
        BrokerSettings off = new BrokerSettings(defaults.listeners(), defaults.maxPacketSize(),
                defaults.maxConnections(), defaults.maxInflight(), defaults.maxQueuedMessages(),
                defaults.queueFullPolicy(), defaults.maxKeepAlive(), defaults.maxSessionExpiry(),
                defaults.topicAliasMaximum(), defaults.connectTimeout(), Duration.ZERO, true);

        assertEquals(Duration.ZERO, BrokerConfigMapper.toBrokerConfig(off).sysInterval());
    }

    @Test
    void websocketListenerWithTlsKeepsItsNamePathFilesAndAnonymousAccess() {
        ListenerSettings settings = new ListenerSettings("public", ListenerType.WEBSOCKET, "0.0.0.0", 8084, "/ws",
                Optional.of(new TlsSettings(Path.of("/certs/a.crt"), Path.of("/certs/a.key"))), true);

        ListenerConfig listener = BrokerConfigMapper.toListenerConfig(settings);

        assertEquals(new ListenerConfig("public", ListenerType.WEBSOCKET, "0.0.0.0", 8084, "/ws",
                new ListenerConfig.Tls(Path.of("/certs/a.crt"), Path.of("/certs/a.key")), true), listener);
    }

    @Test
    void plainListenerHasNoTls() {
        assertNull(BrokerConfigMapper.toListenerConfig(ListenerSettings.defaultListener()).tls());
    }
}
