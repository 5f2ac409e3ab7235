package io.tributary.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The driver against a real broker (Tributary, in process): what it counts must add up. */
class ScenarioRunnerTest {

    private static Broker broker;
    private static int port;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Broker.builder()
                .config(BrokerConfig.builder().listener(ListenerConfig.tcp("127.0.0.1", 0).named("bench")).build())
                .build();
        broker.start().get();
        port = broker.boundPort("bench");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.stop().get();
    }

    private static ScenarioResult run(Scenario scenario, int mqttVersion) throws InterruptedException {
        LoadSettings settings = new LoadSettings(mqttVersion, Duration.ofMillis(300), Duration.ofSeconds(1),
                Duration.ofSeconds(10), 64, 16, 0, 1);
        return new ScenarioRunner(settings, ClientLogWatch.install())
                .run(new Target("Tributary", "127.0.0.1", port, ProcessHandle.current().pid()), scenario);
    }

    @Test
    void everyAcknowledgedQos1MessageIsCountedOncePerSubscriber() throws Exception {
        ScenarioResult result = run(new Scenario("fan-out-test", 1, 3, 1, 2_000), 3);
        assertNull(result.failure());
        assertTrue(result.accepted() > 0);
        assertEquals(result.accepted() * 3, result.expected());
        assertEquals(result.expected(), result.delivered());
        assertEquals(0, result.lost());
        assertEquals(0, result.duplicates());
        assertEquals(DrainEnd.ALL_ARRIVED, result.drainEnd());
        assertTrue(result.latencySamples() > 0);
        assertTrue(result.rssEndBytes() > 0, "memory is read from /proc for the given PID");
    }

    @Test
    void mqtt5ClientsAreCountedTheSameWay() throws Exception {
        ScenarioResult result = run(new Scenario("fan-in-test", 2, 1, 1, 1_000), 5);
        assertNull(result.failure());
        assertEquals(result.accepted(), result.delivered());
        assertEquals(0, result.lost());
    }

    @Test
    void aBrokerThatIsNotThereIsAFailedRunNotAnException() throws Exception {
        LoadSettings settings = new LoadSettings(3, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), 64,
                16, 0, 1);
        ScenarioResult result = new ScenarioRunner(settings, ClientLogWatch.install())
                .run(new Target("nobody", "127.0.0.1", 1, 0), Scenario.FAN_IN_QOS1);
        assertTrue(result.failure().startsWith("clients could not connect"), result.failure());
    }
}
