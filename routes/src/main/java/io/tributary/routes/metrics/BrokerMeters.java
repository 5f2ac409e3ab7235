package io.tributary.routes.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
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
        // By QoS only: Micrometer wants every meter of a name to have the same tags, so the total is not
        // exported beside them (it is their sum).
        for (int qos = 0; qos <= 2; qos++) {
            Tag level = Tag.of("qos", Integer.toString(qos));
            meters.counter(registry, keys, "tributary.broker.messages.received", "messagesReceivedQos" + qos, null,
                    level, "PUBLISH packets and in-process publishes accepted, by the QoS they were published with");
            meters.counter(registry, keys, "tributary.broker.messages.sent", "messagesSentQos" + qos, null, level,
                    "messages written to clients and handed to in-process subscribers, by the QoS they were "
                            + "delivered at");
        }
        meters.counter(registry, keys, "tributary.broker.received.bytes", "bytesReceived", BaseUnits.BYTES, null,
                "MQTT bytes read from clients");
        meters.counter(registry, keys, "tributary.broker.sent.bytes", "bytesSent", BaseUnits.BYTES, null,
                "MQTT bytes written to clients");
        String dropped = "messages dropped: QoS 0 to a full subscriber queue (qos0), QoS 1/2 to a full offline "
                + "queue (queue_full), larger than a client's maximum packet size (too_large), published where the client may "
                + "not publish (not_authorized)";
        meters.counter(registry, keys, "tributary.broker.messages.dropped", "droppedQos0", null,
                Tag.of("reason", "qos0"), dropped);
        meters.counter(registry, keys, "tributary.broker.messages.dropped", "droppedQueueFull", null,
                Tag.of("reason", "queue_full"), dropped);
        meters.counter(registry, keys, "tributary.broker.messages.dropped", "droppedTooLarge", null,
                Tag.of("reason", "too_large"), dropped);
        meters.counter(registry, keys, "tributary.broker.messages.dropped", "droppedNotAuthorized", null,
                Tag.of("reason", "not_authorized"), dropped);
        meters.counter(registry, keys, "tributary.broker.subscribers.stuck", "stuckSubscribers", null, null,
                "clients that took nothing from their full queue for broker.stuck-subscriber-timeout and stopped "
                        + "holding their publishers (disconnected, or their persistent session dropping)");
        meters.counter(registry, keys, "tributary.broker.queue.budget.full", "queueBudgetFull", null, null,
                "messages that found the broker-wide queue budget (broker.max-queued-bytes-total) full and were "
                        + "held, paused or dropped as for a full session queue");
        meters.gauge(registry, keys, "tributary.broker.messages.queued.memory", "queuedMemoryBytes", BaseUnits.BYTES,
                "bytes the sessions hold in memory now, queued or in flight, as the queue budget counts them");
        meters.counter(registry, keys, "tributary.broker.messages.expired", "expired", null, null,
                "messages dropped because their expiry interval passed while queued");
        String refused = "CONNECTs refused by authentication: wrong user name or password (bad_credentials), no "
                + "credentials where anonymous clients are not allowed (not_authorized), authentication busy or "
                + "failing (unavailable)";
        meters.counter(registry, keys, "tributary.broker.connects.refused", "connectsRefusedBadCredentials", null,
                Tag.of("reason", "bad_credentials"), refused);
        meters.counter(registry, keys, "tributary.broker.connects.refused", "connectsRefusedNotAuthorized", null,
                Tag.of("reason", "not_authorized"), refused);
        meters.counter(registry, keys, "tributary.broker.connects.refused", "connectsRefusedUnavailable", null,
                Tag.of("reason", "unavailable"), refused);
        meters.gauge(registry, keys, "tributary.broker.messages.inflight", "inFlight",
                "QoS 1/2 messages sent to clients and not yet acknowledged");
        meters.gauge(registry, keys, "tributary.broker.messages.queued", "queued",
                "messages waiting in session queues now");
        meters.gauge(registry, keys, "tributary.broker.messages.queued.disk", "queuedOnDisk",
                "of the queued messages, those held on disk only (offline persistent sessions)");
        meters.gauge(registry, keys, "tributary.broker.publishers.paused", "publishersPaused",
                "publisher connections paused for a slow subscriber now");
        meters.counter(registry, keys, "tributary.broker.retained.refused", "retainedRefused", null, null,
                "retained messages not stored because the retained store was at its limits");
    }

    private void gauge(MeterRegistry registry, Set<String> keys, String name, String key, String description) {
        gauge(registry, keys, name, key, null, description);
    }

    private void gauge(MeterRegistry registry, Set<String> keys, String name, String key, String unit,
                       String description) {
        if (keys.contains(key)) {
            Gauge.builder(name, broker, ignored -> value(key)).description(description).baseUnit(unit)
                    .register(registry);
        }
    }

    private void counter(MeterRegistry registry, Set<String> keys, String name, String key, String unit,
                         Tag tag, String description) {
        if (!keys.contains(key)) {
            return;
        }
        FunctionCounter.Builder<InProcessBroker> builder = FunctionCounter.builder(name, broker, ignored -> value(key))
                .description(description)
                .baseUnit(unit);
        if (tag != null) {
            builder.tags(Tags.of(tag));
        }
        builder.register(registry);
    }

    private double value(String key) {
        Number value = broker.statsSnapshot().get(key);
        return value == null ? Double.NaN : value.doubleValue();
    }
}
