package io.tributary.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.bench.cluster.ClusterSettings;
import io.tributary.bench.kafka.KafkaLoadSettings;
import io.tributary.bench.load.LoadSettings;
import io.tributary.bench.load.Scenario;
import io.tributary.bench.raw.RawSettings;
import io.tributary.bench.sinks.SinkSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandLineTest {

    private static <T> T parse(T command, String... args) {
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void compareWithoutOptionsRunsTheFullLoadOnEveryBroker() {
        CompareCommand compare = parse(new CompareCommand());
        assertEquals(LoadSettings.standard(3), compare.load.settings());
        assertEquals(Scenario.ALL, compare.load.scenarios());
        assertEquals(List.of("tributary", "mosquitto", "hivemq"), compare.brokers);
        assertEquals(10_000, compare.idleClients);
        assertEquals(100_000, compare.mosquitto.maxQueued);
        assertEquals(Path.of("/usr/sbin/mosquitto"), compare.places.mosquitto);
        assertEquals(Path.of("bench/results"), compare.places.resultsDir);
        assertNull(compare.pidFile);
    }

    @Test
    void quickCompareShortensTheWindowsAndKeepsTheMainScenarios() {
        CompareCommand compare = parse(new CompareCommand(), "--quick", "--mqtt", "5", "--duration=7");
        LoadSettings quick = LoadSettings.quick(5);
        assertEquals(new LoadSettings(5, quick.warmUp(), Duration.ofSeconds(7), quick.drainTimeout(),
                quick.payloadBytes(), quick.inFlight(), 0, 1), compare.load.settings());
        assertEquals(Scenario.MAIN, compare.load.scenarios());
    }

    @Test
    void givenScenariosAndBrokersReplaceTheDefaults() {
        CompareCommand compare = parse(new CompareCommand(), "--scenarios", "fan-in-qos1,fan-out-qos1",
                "--brokers", "tributary,mosquitto", "--skip-memory");
        assertEquals(List.of(Scenario.FAN_IN_QOS1, Scenario.FAN_OUT_QOS1),
                compare.load.scenarios());
        assertEquals(List.of("tributary", "mosquitto"), compare.brokers);
    }

    @Test
    void rawLoadRunsEveryScenarioAgainstMosquittoAndBothTributaryModes() {
        RawLoadCommand raw = parse(new RawLoadCommand());
        assertEquals(RawSettings.standard(), raw.settings());
        assertEquals(List.of("mosquitto", "tributary", "tributary-drop"), raw.brokers);
        assertEquals(List.of("fan-in-qos0-flood", "fan-in-qos1", "latency-qos0", "latency-qos1", "connect-rate",
                "idle-connections"), raw.scenarios);
    }

    @Test
    void rawLoadOptionsOverrideTheQuickSettingsAndMqtt3MeansProtocolLevel4() {
        RawSettings raw = parse(new RawLoadCommand(), "--quick", "--mqtt", "3", "--rate", "20000",
                "--clients", "500", "--connect-threads", "3", "--idle-clients", "100000").settings();
        RawSettings quick = RawSettings.quick();
        assertEquals(4, raw.mqttVersion());
        assertEquals(20_000, raw.rate());
        assertEquals(500, raw.clients());
        assertEquals(3, raw.connectThreads());
        assertEquals(100_000, raw.idleClients());
        assertEquals(quick.measure(), raw.measure());
    }

    @Test
    void rawLoadRefusesAnMqttVersionItCannotSpeak() {
        RawLoadCommand raw = parse(new RawLoadCommand(), "--mqtt", "4");
        assertEquals("--mqtt must be 3 or 5, was 4",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, raw::settings)
                        .getMessage());
    }

    @Test
    void kafkaOptionsOverrideTheQuickLoad() {
        KafkaCommand kafka = parse(new KafkaCommand(), "--quick", "--rate", "5000", "--publishers", "8",
                "--scenarios", "kafka-qos1-paced");
        KafkaLoadSettings quick = KafkaLoadSettings.quick();
        assertEquals(new KafkaLoadSettings(8, quick.warmUp(), quick.measure(), quick.drainTimeout(),
                quick.payloadBytes(), quick.inFlight(), 5000, quick.partitions(), quick.clientIoThreads()),
                kafka.load.settings(quick, kafka.rate));
        assertEquals(List.of("kafka-qos1-paced"), kafka.scenarios);
        assertEquals(List.of("tributary", "mosquitto-camel"), kafka.systems);
    }

    @Test
    void theQuickRouteLoadsKeepTheirPublishersAndShortenOnlyTheTimeLine() {
        Duration five = Duration.ofSeconds(5);
        assertEquals(new KafkaLoadSettings(4, five, five, Duration.ofSeconds(20), 128, 64, 2500, 4, 1),
                KafkaLoadSettings.quick());
        assertEquals(new KafkaLoadSettings(16, five, five, Duration.ofSeconds(20), 128, 64, 2500, 4, 1),
                SinkSettings.quick().load());
        assertEquals(SinkSettings.standard().batchSizes(), SinkSettings.quick().batchSizes());
    }

    @Test
    void sinksKeepTheStandardLoadWithoutOptions() {
        SinksCommand sinks = parse(new SinksCommand());
        assertEquals(SinkSettings.standard().load(), sinks.load.settings(SinkSettings.standard().load(), null));
        assertEquals(List.of("sql", "webhook", "kafka"), sinks.scenarios);
        assertNull(sinks.batchSizes);
    }

    @Test
    void aWrongValueIsAUsageError() {
        assertEquals(2, BenchCommand.execute("compare", "--brokers", "nats"));
        assertEquals(2, BenchCommand.execute("compare", "--no-such-option"));
    }

    @Test
    void clusterRunsEverySystemAndScenarioAtTwoThousandMessagesPerSecond() {
        ClusterCommand cluster = parse(new ClusterCommand());
        assertEquals(ClusterSettings.standard(), cluster.settings());
        assertEquals(List.of("single", "one-node-cluster", "three-nodes"), cluster.systems);
        assertEquals(List.of("remote-qos1", "local-qos1", "remote-qos0", "local-qos0"), cluster.scenarios);
    }

    @Test
    void clusterRatesReplaceTheDefaultRate() {
        assertEquals(List.of(2_000, 10_000), parse(new ClusterCommand(), "--quick", "--rates", "2000,10000")
                .settings().rates());
        assertEquals(List.of(5_000), parse(new ClusterCommand(), "--rate", "5000").settings().rates());
    }

    @Test
    void clusterRefusesBothRateOptionsAndARateBelowOneMessagePerPublisher() {
        assertThrows(IllegalArgumentException.class,
                () -> parse(new ClusterCommand(), "--rate", "5000", "--rates", "2000").settings());
        assertThrows(IllegalArgumentException.class,
                () -> parse(new ClusterCommand(), "--rate", "10", "--publishers", "20").settings());
    }
}
