package io.tributary.routes.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.tributary.broker.InProcessBroker;
import java.util.Set;

/**
 * The broker's counters as meters, each read from {@link InProcessBroker#statsSnapshot()} when scraped (a
 * snapshot is a handful of sums, cheap enough to take per meter). The meters refer to the broker weakly, as
 * Micrometer does, and to this object through their functions.
 */
final class BrokerMeters {

    private final InProcessBroker broker;

    private BrokerMeters(InProcessBroker broker) {
        this.broker = broker;
    }

    /** Registers the broker's meters; none when the broker keeps no counters. */
    static void bind(MeterRegistry registry, InProcessBroker broker) {
        BrokerMeters meters = new BrokerMeters(broker);
        Set<String> keys = broker.statsSnapshot().keySet();
        if (keys.isEmpty()) {
            return;
        }
        meters.gauge(registry, keys, "tributary.broker.connections", "connections", "MQTT clients connected now");
        meters.gauge(registry, keys, "tributary.broker.sessions", "sessions", "sessions held now, connected or not");
        meters.counter(registry, keys, "tributary.broker.messages.received", "messagesReceived", null, null,
                "PUBLISH packets and in-process publishes accepted");
        meters.counter(registry, keys, "tributary.broker.messages.sent", "messagesSent", null, null,
                "messages written to clients and handed to in-process subscribers");
        meters.counter(registry, keys, "tributary.broker.received.bytes", "bytesReceived", BaseUnits.BYTES, null,
                "MQTT bytes read from clients");
        meters.counter(registry, keys, "tributary.broker.sent.bytes", "bytesSent", BaseUnits.BYTES, null,
                "MQTT bytes written to clients");
        String dropped = "messages dropped: QoS 0 to a full subscriber queue (qos0), QoS 1/2 to a full offline "
                + "queue (queue_full), larger than a client's maximum packet size (too_large)";
        meters.counter(registry, keys, "tributary.broker.messages.dropped", "droppedQos0", null, "qos0", dropped);
        meters.counter(registry, keys, "tributary.broker.messages.dropped", "droppedQueueFull", null, "queue_full",
                dropped);
        meters.counter(registry, keys, "tributary.broker.messages.dropped", "droppedTooLarge", null, "too_large",
                dropped);
        meters.counter(registry, keys, "tributary.broker.messages.expired", "expired", null, null,
                "messages dropped because their expiry interval passed while queued");
        meters.gauge(registry, keys, "tributary.broker.messages.inflight", "inFlight",
                "QoS 1/2 messages sent to clients and not yet acknowledged");
        meters.gauge(registry, keys, "tributary.broker.messages.queued", "queued",
                "messages waiting in session queues now");
        meters.gauge(registry, keys, "tributary.broker.publishers.paused", "publishersPaused",
                "publisher connections paused for a slow subscriber now");
    }

    private void gauge(MeterRegistry registry, Set<String> keys, String name, String key, String description) {
        if (keys.contains(key)) {
            Gauge.builder(name, broker, ignored -> value(key)).description(description).register(registry);
        }
    }

    private void counter(MeterRegistry registry, Set<String> keys, String name, String key, String unit,
                         String reason, String description) {
        if (!keys.contains(key)) {
            return;
        }
        FunctionCounter.Builder<InProcessBroker> builder = FunctionCounter.builder(name, broker, ignored -> value(key))
                .description(description)
                .baseUnit(unit);
        if (reason != null) {
            builder.tag("reason", reason);
        }
        builder.register(registry);
    }

    private double value(String key) {
        Number value = broker.statsSnapshot().get(key);
        return value == null ? Double.NaN : value.doubleValue();
    }
}
