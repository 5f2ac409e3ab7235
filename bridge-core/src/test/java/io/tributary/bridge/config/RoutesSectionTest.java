package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.mapping.Template;
import io.tributary.broker.QoS;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesSectionTest {

    private static final String EXAMPLE = """
            broker:
              listeners:
                - { type: tcp, host: 127.0.0.1, port: 1883 }
            connections:
              kafka:
                main: { bootstrap-servers: "127.0.0.1:9092" }
            routes:
              - name: telemetry-to-kafka
                from: { mqtt: "sites/{site}/devices/{device}/telemetry" }
                to:   { kafka: { connection: main, topic: "telemetry.{site}", key: "{device}" } }
              - name: commands-to-devices
                from: { kafka: { connection: main, topic: "commands", group: "tributary-commands" } }
                to:   { mqtt: { topic: "devices/{key}/commands", qos: 1 } }
            """;

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
    }

    @Test
    void exampleLoadsItsConnectionAndBothRoutes() throws ConfigException {
        TributaryConfig config = files.load(EXAMPLE);

        assertEquals(Map.of("main", KafkaConnectionSettings.external("main", "127.0.0.1:9092")),
                config.connections().kafka());
        assertEquals(List.of("telemetry-to-kafka", "commands-to-devices"),
                config.routes().stream().map(RouteSettings::name).toList());
    }

    @Test
    void exampleMqttToKafkaRouteIsRead() throws ConfigException {
        RouteSettings route = files.load(EXAMPLE).routes().get(0);

        RouteSource.Mqtt from = (RouteSource.Mqtt) route.from();
        assertEquals("sites/+/devices/+/telemetry", from.filter().mqttFilter());
        RouteSink.Kafka to = (RouteSink.Kafka) route.to();
        assertEquals("main", to.connection());
        assertEquals("telemetry.{site}", to.topic().toString());
        assertEquals(Optional.of("{device}"), to.key().map(Template::toString));
        assertEquals(Map.of(), to.headers());
        assertEquals(Optional.empty(), route.condition());
        assertEquals(RetrySettings.defaults(), route.retry());
        assertEquals(Optional.empty(), route.deadLetter());
        assertEquals(new SourceLocation(folder.resolve("tributary.yaml").toString(), 8, 5), route.location());
    }

    @Test
    void exampleKafkaToMqttRouteIsRead() throws ConfigException {
        RouteSettings route = files.load(EXAMPLE).routes().get(1);

        assertEquals(new RouteSource.Kafka("main", "commands", "tributary-commands"), route.from());
        RouteSink.Mqtt to = (RouteSink.Mqtt) route.to();
        assertEquals("devices/{key}/commands", to.topic().toString());
        assertEquals(Optional.of(QoS.AT_LEAST_ONCE), to.qos());
        assertFalse(to.retain());
    }

    @Test
    void kafkaSourceGroupDefaultsToTheRouteName() throws ConfigException {
        RouteSettings route = files.load("""
                connections: { kafka: { main: embedded } }
                routes:
                  - name: commands
                    from: { kafka: { connection: main, topic: commands } }
                    to: { mqtt: { topic: "devices/{key}/commands" } }
                """).routes().get(0);

        assertEquals(new RouteSource.Kafka("main", "commands", "tributary-commands"), route.from());
        assertEquals(Optional.empty(), ((RouteSink.Mqtt) route.to()).qos());
    }

    @Test
    void conditionRetryHeadersAndRetainAreRead() throws ConfigException {
        RouteSettings route = files.load("""
                connections: { kafka: { main: embedded } }
                routes:
                  - name: hot
                    from: { mqtt: "sites/{site}/temperature" }
                    to:
                      kafka:
                        connection: main
                        topic: alerts
                        headers: { site: "{site}", tenant: "{header.tenant}" }
                    condition: "{json.celsius} > 30 and {site} != 'lab'"
                    retry: { max-attempts: 3, initial-backoff: 250ms, multiplier: 1.5, max-backoff: 2m }
                """).routes().get(0);

        Map<String, Template> headers = ((RouteSink.Kafka) route.to()).headers();
        assertEquals(List.of("site", "tenant"), List.copyOf(headers.keySet()));
        assertEquals("{header.tenant}", headers.get("tenant").toString());
        assertTrue(route.condition().orElseThrow().test(Map.of("json.celsius", "31", "site", "s1")::get));
        assertEquals(new RetrySettings(3, Duration.ofMillis(250), 1.5, Duration.ofMinutes(2)), route.retry());
    }

    @Test
    void retryKeysLeftOutTakeTheirDefaults() throws ConfigException {
        RouteSettings route = files.load("""
                routes:
                  - name: r
                    from: { mqtt: "a/#" }
                    to: { mqtt: { topic: "b", retain: true } }
                    retry: { max-attempts: 1 }
                """).routes().get(0);

        assertEquals(new RetrySettings(1, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30)), route.retry());
        assertTrue(((RouteSink.Mqtt) route.to()).retain());
    }

    @Test
    void ackIsSinkWithoutTheKey() throws ConfigException {
        RouteSettings route = files.load(EXAMPLE).routes().get(0);

        assertEquals(AckMode.SINK, route.ack());
        assertFalse(route.buffered());
    }

    @Test
    void bufferedRouteReadsItsBounds() throws ConfigException {
        RouteSettings route = files.load("""
                routes:
                  - name: r
                    from: { mqtt: "a/#" }
                    to: { mqtt: { topic: "b" } }
                    ack: buffer
                    buffer: { max-messages: 5000, max-bytes: 1048576, max-age: 2h, when-full: refuse, unready-at: 50,
                              publisher-window: 16 }
                """).routes().get(0);

        assertTrue(route.buffered());
        assertEquals(new BufferSettings(5000, 1_048_576, Duration.ofHours(2), BufferSettings.WhenFull.REFUSE, 50, 16),
                route.buffer());
    }

    @Test
    void bufferKeysLeftOutTakeTheirDefaults() throws ConfigException {
        RouteSettings route = files.load("""
                routes:
                  - name: r
                    from: { mqtt: "a/#" }
                    to: { mqtt: { topic: "b" } }
                    ack: buffer
                """).routes().get(0);

        assertEquals(new BufferSettings(1_000_000, 1L << 30, Duration.ofHours(24), BufferSettings.WhenFull.HOLD, 80, 1),
                route.buffer());
    }

    @Test
    void deadLetterMayUseTheErrorAndTheRouteName() throws ConfigException {
        RouteSettings route = files.load("""
                connections: { kafka: { main: embedded } }
                routes:
                  - name: telemetry
                    from: { mqtt: "sites/{site}/telemetry" }
                    to: { kafka: { connection: main, topic: "telemetry.{site}" } }
                    dead-letter:
                      mqtt: { topic: "dead/{route}/{site}", qos: 2 }
                """).routes().get(0);

        RouteSink.Mqtt deadLetter = (RouteSink.Mqtt) route.deadLetter().orElseThrow();
        assertEquals("dead/{route}/{site}", deadLetter.topic().toString());
        assertEquals(Optional.of(QoS.EXACTLY_ONCE), deadLetter.qos());
    }

    @Test
    void exampleWithWebhooksAndSqlLoadsEveryRoute() throws ConfigException {
        TributaryConfig config = files.load("""
                connections:
                  jdbc:
                    store: { url: "jdbc:postgresql://127.0.0.1:5432/tributary", username: tributary, password: { env: PGPASSWORD }, pool-size: 4 }
                    local: embedded
                routes:
                  - name: alarms-webhook
                    from: { mqtt: "sites/+/alarms/#" }
                    to:   { http: { url: "http://127.0.0.1:9000/alarms", method: POST } }
                  - name: telemetry-webhook
                    from: { mqtt: "sites/{site}/devices/{device}/telemetry" }
                    to:
                      http:
                        url: "https://hooks.example.com/{site}/{device}"
                        method: PUT
                        format: envelope
                        timeout: 10s
                        concurrency: 4
                        headers: { X-Tenant: "{header.tenant}" }
                        auth: { bearer: { env: HOOK_TOKEN } }
                  - name: telemetry-to-db
                    from: { mqtt: "sites/{site}/devices/{device}/telemetry" }
                    to:
                      jdbc:
                        connection: store
                        table: telemetry
                        columns:
                          site: "{site}"
                          device: "{device}"
                          temperature: { value: "{json.temp}", type: double }
                          received: { value: "{timestamp}", type: timestamp }
                          payload: { value: "{payload}", type: json }
                        batch: { size: 100, time: 200ms }
                        upsert-key: [ site, device ]
                        create-table: true
                """);

        assertEquals(List.of("store", "local"), List.copyOf(config.connections().jdbc().keySet()));
        assertEquals(List.of(RouteSink.Http.class, RouteSink.Http.class, RouteSink.Jdbc.class),
                config.routes().stream().map(route -> route.to().getClass()).toList());
    }

    @Test
    void timestampAndPayloadAreVariablesOfAKafkaSourceToo() throws ConfigException {
        RouteSettings route = files.load("""
                connections: { kafka: { main: embedded } }
                routes:
                  - name: r
                    from: { kafka: { connection: main, topic: t } }
                    to: { mqtt: { topic: "copy/{key}" } }
                    condition: "{timestamp} exists and {payload} contains 'x'"
                """).routes().get(0);

        assertEquals(List.of("timestamp", "payload"), route.condition().orElseThrow().variables());
    }

    @Test
    void emptyRouteListIsNoRoutes() throws ConfigException {
        assertEquals(List.of(), files.load("routes: []").routes());
    }
}
