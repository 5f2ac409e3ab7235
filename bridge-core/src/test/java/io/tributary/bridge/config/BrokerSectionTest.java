package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.ListenerType;
import io.tributary.broker.QueueFullPolicy;
import io.tributary.testsupport.tls.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerSectionTest {

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
    }

    @Test
    void fullExampleIsReadIntoRecords() throws ConfigException {
        TributaryConfig config = files.load("""
                broker:
                  listeners:
                    - { type: tcp, host: 127.0.0.1, port: 1883 }
                    - { type: websocket, host: 127.0.0.1, port: 8083, path: /mqtt }
                  max-packet-size: 1048576
                  max-connections: 100000
                  max-inflight: 64
                  max-queued-messages: 1000
                  queue-full-policy: drop-new
                  max-keep-alive: 65535
                  max-session-expiry: 4294967295
                  topic-alias-maximum: 64
                  connect-timeout: 10
                  sys-interval: 10s
                """);

        BrokerConfig broker = config.broker();
        assertEquals(List.of(
                new ListenerConfig("tcp-1883", ListenerType.TCP, "127.0.0.1", 1883, "/mqtt", null, false),
                new ListenerConfig("websocket-8083", ListenerType.WEBSOCKET, "127.0.0.1", 8083, "/mqtt", null, false)),
                broker.listeners());
        assertEquals(1_048_576, broker.maxPacketSize());
        assertEquals(100_000, broker.maxConnections());
        assertEquals(64, broker.maxInFlight());
        assertEquals(1000, broker.maxQueuedMessages());
        assertEquals(QueueFullPolicy.DROP_NEW, broker.queueFullPolicy());
        assertEquals(65_535, broker.maxKeepAliveSeconds());
        assertEquals(4_294_967_295L, broker.maxSessionExpirySeconds());
        assertEquals(64, broker.topicAliasMaximum());
        assertEquals(10, broker.connectTimeoutSeconds());
        assertEquals(Duration.ofSeconds(10), broker.sysInterval());
    }

    @Test
    void fullExampleEqualsTheDefaults() throws ConfigException {
        TributaryConfig config = files.load("""
                broker:
                  listeners:
                    - { type: tcp, host: 127.0.0.1, port: 1883 }
                  max-packet-size: 1048576
                  max-connections: 100000
                  max-inflight: 64
                  max-queued-messages: 1000
                  queue-full-policy: drop-new
                  max-keep-alive: 65535
                  max-session-expiry: 604800
                  topic-alias-maximum: 64
                  connect-timeout: 10
                  sys-interval: 10s
                """);

        assertEquals(files.defaults(), config);
    }

    @Test
    void emptyFileMeansEveryDefault() throws ConfigException {
        assertEquals(files.defaults(), files.load(""));
    }

    @Test
    void fileWithOnlyCommentsMeansEveryDefault() throws ConfigException {
        assertEquals(files.defaults(), files.load("# nothing to change\n"));
    }

    @Test
    void emptyBrokerSectionMeansEveryDefault() throws ConfigException {
        assertEquals(files.defaults(), files.load("broker:\n"));
    }

    @Test
    void defaultBrokerListensOnLoopbackTcp1883Only() {
        ListenerConfig only = files.defaults().broker().listeners().get(0);

        assertEquals(1, files.defaults().broker().listeners().size());
        assertEquals(ListenerType.TCP, only.transport());
        assertEquals("127.0.0.1", only.host());
        assertEquals(1883, only.port());
        assertFalse(only.allowAnonymous());
        assertNull(only.tls());
    }

    @Test
    void listenerKeysLeftOutTakeTheirDefaults() throws ConfigException {
        TributaryConfig config = files.load("""
                broker:
                  listeners:
                    - {}
                    - type: websocket
                """);

        assertEquals(List.of(ListenerConfig.tcp("127.0.0.1", 1883),
                        ListenerConfig.websocket("127.0.0.1", 8083, "/mqtt")),
                config.broker().listeners());
    }

    @Test
    void listenerNameTlsAndAnonymousAccessAreRead() throws ConfigException {
        TestCertificates.authority("CA").server("localhost").write(folder, "server");

        ListenerConfig listener = files.load("""
                broker:
                  listeners:
                    - name: public-tls
                      host: 0.0.0.0
                      port: 8883
                      tls: { cert: server.crt, key: server.key }
                      allow-anonymous: true
                """).broker().listeners().get(0);

        assertEquals("public-tls", listener.name());
        assertEquals("0.0.0.0", listener.host());
        assertEquals(8883, listener.port());
        assertTrue(listener.allowAnonymous());
        assertEquals(new ListenerConfig.Tls(folder.resolve("server.crt"), folder.resolve("server.key")),
                listener.tls());
    }

    @Test
    void persistenceKeepsTheBrokersStateInTheDataDirectoryAndOffKeepsItInMemory() throws ConfigException {
        assertEquals(folder.resolve("state").resolve(TributaryConfig.BROKER_STATE_FOLDER),
                files.load("data-directory: state").broker().persistenceDirectory());
        assertNull(files.load("broker: { persistence: false }").broker().persistenceDirectory());
        assertNull(files.load("broker: { persistence: memory }").broker().persistenceDirectory());
        assertNull(files.load("data-directory: state").broker().persistenceSyncInterval(), "sync is the default");
        BrokerConfig interval = files.load("""
                data-directory: state
                broker: { persistence: interval, persistence-interval: 200ms }
                """).broker();
        assertEquals(Duration.ofMillis(200), interval.persistenceSyncInterval());
        assertEquals(folder.resolve("state").resolve(TributaryConfig.BROKER_STATE_FOLDER),
                interval.persistenceDirectory());
    }

    @Test
    void anUnknownPersistenceModeNamesTheModes() throws ConfigException {
        ConfigError error = files.errors("broker: { persistence: disk }").get(0);
        assertTrue(error.render().contains("broker.persistence: expected one of sync, interval, memory, got 'disk'"),
                error.render());
    }

    @Test
    void connectionAndSessionLimitsAreRead() throws ConfigException {
        BrokerConfig broker = files.load("""
                broker:
                  listeners:
                    - { type: websocket, allowed-origins: [ "https://app.example.com", "*" ] }
                  max-queued-bytes: 65536
                  max-sessions: 10
                  max-pending-connections: 5
                  max-connection-rate: 2
                  connection-rate-burst: 3
                  connection-rate-loopback: true
                  max-publish-rate: 100
                  max-publish-bytes-rate: 4096
                """).broker();

        assertEquals(List.of("https://app.example.com", "*"), broker.listeners().get(0).allowedOrigins());
        assertEquals(65_536, broker.maxQueuedBytes());
        assertEquals(10, broker.maxSessions());
        assertEquals(new BrokerConfig.ConnectionAdmission(5, 2, 3, true), broker.connection());
        assertEquals(100, broker.maxPublishRate());
        assertEquals(4096, broker.maxPublishBytesRate());
    }

    @Test
    void connectionLimitsDefaultToAWeekOfExpiryAndNoBrowserPage() {
        BrokerConfig broker = files.defaults().broker();
        assertEquals(604_800, broker.maxSessionExpirySeconds());
        assertEquals(BrokerConfig.ConnectionAdmission.DEFAULTS, broker.connection());
        assertEquals(List.of(), broker.listeners().get(0).allowedOrigins());
        assertEquals(0, broker.maxPublishRate());
    }

    @Test
    void allowedOriginsOnATcpListenerIsAnError() {
        ConfigError error = files.errors("""
                broker:
                  listeners:
                    - { type: tcp, allowed-origins: [ "https://app.example.com" ] }
                """).get(0);
        assertEquals("broker.listeners[0].allowed-origins", error.path());
        assertTrue(error.message().contains("only for websocket listeners"), error.message());
    }

    @Test
    void topicSubscriptionAndRetainedLimitsAreReadAndDefaultAsDocumented() throws ConfigException {
        BrokerConfig set = files.load("""
                broker:
                  max-topic-length: 256
                  max-topic-levels: 16
                  max-subscriptions-per-client: 50
                  max-filters-per-subscribe: 8
                  max-retained-messages: 10000
                  max-retained-bytes: 5000000000
                """).broker();
        assertEquals(List.of(256, 16, 50, 8, 10_000), List.of(set.maxTopicLength(), set.maxTopicLevels(),
                set.maxSubscriptionsPerClient(), set.maxFiltersPerSubscribe(), set.maxRetainedMessages()));
        assertEquals(5_000_000_000L, set.maxRetainedBytes());

        BrokerConfig defaults = files.load("broker: {}\n").broker();
        assertEquals(List.of(4096, 128, 1000, 1000, 1_000_000), List.of(defaults.maxTopicLength(),
                defaults.maxTopicLevels(), defaults.maxSubscriptionsPerClient(), defaults.maxFiltersPerSubscribe(),
                defaults.maxRetainedMessages()));
        assertEquals(256L * 1024 * 1024, defaults.maxRetainedBytes());
    }

    @Test
    void aTopicLengthBeyondWhatMqttCanCarryIsAnError() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> files.load("broker:\n  max-topic-length: 70000\n"));
        assertTrue(e.getMessage().contains("broker.max-topic-length"), e.getMessage());
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
    }

    @Test
    void queueFullPolicyDropOldestIsRead() throws ConfigException {
        assertEquals(QueueFullPolicy.DROP_OLDEST,
                files.load("broker: { queue-full-policy: drop-oldest }").broker().queueFullPolicy());
    }

    @Test
    void sysIntervalIsADurationAndZeroTurnsTheSysTopicsOff() throws ConfigException {
        assertEquals(Duration.ofMillis(500), files.load("broker: { sys-interval: 500ms }").broker().sysInterval());
        assertEquals(Duration.ZERO, files.load("broker: { sys-interval: 0s }").broker().sysInterval());
        assertEquals(Duration.ofSeconds(10), files.defaults().broker().sysInterval());
    }

    @Test
    void sysIntervalWithoutAUnitIsAnError() {
        ConfigError error = files.errors("broker: { sys-interval: 10 }").get(0);

        assertEquals("broker.sys-interval: expected a duration such as 500ms, 5s or 2m, or 0s, got '10'",
                error.render().substring(error.render().indexOf("broker.sys-interval")));
    }

    @Test
    void sysIntervalHasAnEnvironmentOverride() throws ConfigException {
        TributaryConfig config = files.withEnvironment(java.util.Map.of("TRIBUTARY_BROKER_SYS_INTERVAL", "0s"))
                .load("broker: { sys-interval: 5s }");

        assertEquals(Duration.ZERO, config.broker().sysInterval());
    }

    @Test
    void portZeroMayBeRepeatedBecauseEachPicksAFreePort() throws ConfigException {
        TributaryConfig config = files.load("""
                broker:
                  listeners:
                    - { port: 0, name: a }
                    - { port: 0, name: b }
                """);

        assertEquals(2, config.broker().listeners().size());
    }

    @Test
    void samePortOnDifferentHostsIsAllowed() throws ConfigException {
        TributaryConfig config = files.load("""
                broker:
                  listeners:
                    - { host: 127.0.0.1, port: 1883, name: loopback }
                    - { host: 192.168.1.10, port: 1883, name: lan }
                """);

        assertEquals(2, config.broker().listeners().size());
    }

    @Test
    void yamlAnchorsAndAliasesCanShareValues() throws ConfigException {
        TributaryConfig config = files.load("""
                broker:
                  listeners:
                    - { host: &lan 192.168.1.10, port: 1883 }
                    - { host: *lan, port: 1884 }
                """);

        assertEquals("192.168.1.10", config.broker().listeners().get(1).host());
    }
}
