package io.tributary.routes.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.connectors.mqtt.LinkCounts;
import io.tributary.connectors.mqtt.MqttLink;
import java.util.function.ToDoubleFunction;

/** The meters of one link to an external MQTT broker, each tagged with the connection's name. */
public final class LinkMeters {

    /** 1 while the link is connected, else 0. */
    public static final String CONNECTED = "tributary.link.connected";
    /** Messages from the broker acknowledged to it once their routes had them. */
    public static final String ACKNOWLEDGED = "tributary.link.messages.acknowledged";
    /** Messages from the broker that no route matched, acknowledged and dropped. */
    public static final String UNROUTED = "tributary.link.messages.unrouted";
    /** Messages from the broker dropped at {@code max-hops}. */
    public static final String LOOPED = "tributary.link.messages.looped";
    /** Publishes to the broker that it acknowledged. */
    public static final String PUBLISHED = "tributary.link.messages.published";
    /** Publishes to the broker that failed. */
    public static final String PUBLISH_FAILED = "tributary.link.publish.failed";
    /** Messages in flight, tagged {@code direction} {@code in} (to the routes) or {@code out} (to the broker). */
    public static final String IN_FLIGHT = "tributary.link.inflight";
    /** Disconnects keeping the session, then reconnects: after a failed message, or by the watchdog. */
    public static final String RECYCLES = "tributary.link.recycles";
    /** New clients built by the watchdog because the old one stopped reconnecting. */
    public static final String REBUILDS = "tributary.link.rebuilds";

    private LinkMeters() {
    }

    /** Registers the meters of {@code link}, named {@code connection}, in {@code registry}. */
    public static void register(MeterRegistry registry, String connection, MqttLink link) {
        Gauge.builder(CONNECTED, link, l -> l.state().up() ? 1 : 0).tag("connection", connection)
                .description("1 while the link to the external MQTT broker is connected").register(registry);
        LinkCounts counts = link.counts();
        counter(registry, connection, ACKNOWLEDGED, counts, LinkCounts::acknowledged,
                "Messages of the external MQTT broker acknowledged once their routes had them");
        counter(registry, connection, UNROUTED, counts, LinkCounts::unrouted,
                "Messages of the external MQTT broker that no route matched, acknowledged and dropped");
        counter(registry, connection, LOOPED, counts, LinkCounts::looped,
                "Messages of the external MQTT broker that had gone round max-hops publishes, dropped");
        counter(registry, connection, PUBLISHED, counts, LinkCounts::published,
                "Publishes of the routes that the external MQTT broker acknowledged");
        counter(registry, connection, PUBLISH_FAILED, counts, LinkCounts::publishFailed,
                "Publishes of the routes to the external MQTT broker that failed (refused, timed out, link busy)");
        counter(registry, connection, RECYCLES, counts, LinkCounts::recycles,
                "Reconnects of the link keeping its session: after a route failed a message, or by the watchdog when "
                        + "a publish had no acknowledgement within publish-timeout while connected");
        counter(registry, connection, REBUILDS, counts, LinkCounts::rebuilds,
                "New clients built by the link's watchdog because the old one stopped reconnecting");
        Gauge.builder(IN_FLIGHT, counts, LinkCounts::inFlightIn).tags("connection", connection, "direction", "in")
                .description("Messages of the external MQTT broker with the routes, not yet acknowledged")
                .register(registry);
        Gauge.builder(IN_FLIGHT, counts, LinkCounts::inFlightOut).tags("connection", connection, "direction", "out")
                .description("Publishes to the external MQTT broker waiting for its acknowledgement")
                .register(registry);
    }

    private static void counter(MeterRegistry registry, String connection, String name, LinkCounts counts,
                                ToDoubleFunction<LinkCounts> count, String description) {
        FunctionCounter.builder(name, counts, count).tag("connection", connection).description(description)
                .register(registry);
    }
}
