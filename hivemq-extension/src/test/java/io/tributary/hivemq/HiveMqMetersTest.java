package io.tributary.hivemq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.codahale.metrics.MetricRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class HiveMqMetersTest {

    private final SimpleMeterRegistry routes = new SimpleMeterRegistry();
    private final MetricRegistry hivemq = new MetricRegistry();

    @Test
    void theRoutesMetersShowInHiveMqsRegistryAndFollowTheirValues() {
        Counter before = routes.counter("tributary.route.messages.in", "route", "telemetry");
        routes.counter("jvm.threads.live"); // HiveMQ has its own JVM metrics

        try (HiveMqMeters meters = new HiveMqMeters(routes, hivemq)) {
            Timer after = routes.timer("tributary.route.latency", "route", "telemetry");
            before.increment(3);
            after.record(Duration.ofMillis(5));

            assertEquals(Set.of("tributary.route.messages.in.route.telemetry",
                    "tributary.route.latency.route.telemetry.count",
                    "tributary.route.latency.route.telemetry.total",
                    "tributary.route.latency.route.telemetry.max"), new TreeSet<>(hivemq.getNames()));
            assertEquals(3.0, hivemq.getGauges().get("tributary.route.messages.in.route.telemetry").getValue());
            assertEquals(1.0, hivemq.getGauges().get("tributary.route.latency.route.telemetry.count").getValue());
        }
    }

    @Test
    void closingRemovesThemAllAndLaterMetersStayOut() {
        routes.counter("tributary.route.messages.in", "route", "telemetry");
        HiveMqMeters meters = new HiveMqMeters(routes, hivemq);

        meters.close();
        routes.counter("tributary.route.messages.delivered", "route", "telemetry");

        assertEquals(Set.of(), hivemq.getNames());
    }

    @Test
    void aRemovedMeterIsRemovedFromHiveMq() {
        Counter counter = routes.counter("tributary.route.messages.in", "route", "telemetry");
        try (HiveMqMeters meters = new HiveMqMeters(routes, hivemq)) {
            routes.remove(counter);

            assertEquals(Set.of(), hivemq.getNames());
        }
    }
}
