package io.tributary.routes.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.bridge.camel.PayloadRefusal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCreatedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailureHandledEvent;
import org.apache.camel.spi.CamelEvent.ExchangeRedeliveryEvent;
import org.apache.camel.spi.CamelEvent.RouteRemovedEvent;
import org.apache.camel.spi.CamelEvent.RouteStartedEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Counts each route's messages from Camel's exchange events, tagged {@code route} with the route's name: its
 * {@value #NAME_PROPERTY} property when it has one (a configured route, whose Camel id gains a generation
 * when a reload replaces it, so the counts go on), else its id (a dead-letter route reached through
 * {@code direct:} is part of its route's exchange). Every message that comes in ends as delivered, filtered
 * (refused by the route's condition) or failed (after its last attempt); a failed message the dead-letter
 * destination took is also counted as dead-lettered. Retried counts redelivery attempts. The latency is from
 * the message's arrival to its end, retries included. {@code tributary_route_up} is 1 while a route of that
 * name is started; the meters of a name go away when its last route is removed.
 *
 * <p>It also keeps each route's last error (an attempt that failed, retried or not), for the operator's
 * console: one per route name, so bounded by the routes.
 */
public final class RouteMeters extends EventNotifierSupport {

    /** The route property that names a route in its meters, when its id is not its name. */
    public static final String NAME_PROPERTY = "tributary.route";

    /** The exchange property where a route's condition (a Camel filter) records whether it matched. */
    public static final String CONDITION_MATCHED = "TributaryConditionMatched";

    private static final String DEAD_LETTERED = "TributaryMetricsDeadLettered";

    private final MeterRegistry registry;
    private final Set<String> ignoredRoutes;
    /** By Camel route id; several ids share one name's meters while a reload swaps a route. */
    private final ConcurrentMap<String, Meters> byRouteId = new ConcurrentHashMap<>();

    /** The largest error message kept, in characters; the rest is cut. */
    static final int MAX_ERROR_LENGTH = 500;

    /** The last error of a route: when, and what it said. */
    public record RouteError(Instant time, String message) {
    }

    /** By route name. */
    private final ConcurrentMap<String, RouteError> lastErrors = new ConcurrentHashMap<>();

    private record Meters(String name, Counter in, Counter delivered, Counter filtered, Counter failed,
                          Counter retried, Counter deadLettered, Timer latency, Gauge up) {
        List<Meter> all() {
            return List.of(in, delivered, filtered, failed, retried, deadLettered, latency, up);
        }
    }

    /** @param ignoredRoutes the ids of routes not counted (the HTTP API's request routes) */
    public RouteMeters(MeterRegistry registry, Set<String> ignoredRoutes) {
        this.registry = registry;
        this.ignoredRoutes = Set.copyOf(ignoredRoutes);
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeEvent || event instanceof RouteStartedEvent
                || event instanceof RouteRemovedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof RouteStartedEvent started) {
            // A started route shows its meters at 0 before its first message; one reached through direct:
            // (a dead-letter route) is part of its caller's exchanges and has none of its own.
            Route route = started.getRoute();
            if (!ignoredRoutes.contains(route.getRouteId())
                    && !route.getEndpoint().getEndpointUri().startsWith("direct:")) {
                byRouteId.computeIfAbsent(route.getRouteId(), id -> metersOf(route));
            }
            return;
        }
        if (event instanceof RouteRemovedEvent removed) {
            forget(removed.getRoute());
            return;
        }
        Exchange exchange = ((ExchangeEvent) event).getExchange();
        String routeId = exchange.getFromRouteId();
        if (routeId == null || ignoredRoutes.contains(routeId)) {
            return;
        }
        Meters meters = byRouteId.get(routeId);
        if (meters == null) {
            Route route = exchange.getContext().getRoute(routeId);
            if (route == null) {
                return;
            }
            meters = byRouteId.computeIfAbsent(routeId, id -> metersOf(route));
        }
        if (event instanceof ExchangeCreatedEvent) {
            meters.in().increment();
        } else if (event instanceof ExchangeRedeliveryEvent) {
            meters.retried().increment();
            recordError(meters.name(), exchange);
        } else if (event instanceof ExchangeFailureHandledEvent handled) {
            // A dead-letter channel, or the default dead letter's handler of what can never be delivered.
            if (handled.isDeadLetterChannel()) {
                exchange.setProperty(DEAD_LETTERED, Boolean.TRUE);
            }
            recordError(meters.name(), exchange);
        } else if (event instanceof ExchangeFailedEvent) {
            meters.failed().increment();
            recordError(meters.name(), exchange);
            recordLatency(meters, exchange);
        } else if (event instanceof ExchangeCompletedEvent) {
            if (exchange.getProperty(DEAD_LETTERED, false, Boolean.class)
                    || exchange.getProperty(PayloadRefusal.PROPERTY) != null) {
                meters.failed().increment();
                meters.deadLettered().increment();
            } else if (Boolean.FALSE.equals(exchange.getProperty(CONDITION_MATCHED, Boolean.class))) {
                meters.filtered().increment();
            } else {
                meters.delivered().increment();
            }
            recordLatency(meters, exchange);
        }
    }

    /**
     * Counts a message that a route delivered, or that its condition refused, without an exchange (a route's direct
     * path into Kafka): in, and delivered or filtered, with its latency. A message the direct path could not
     * deliver goes down the route as an exchange and is counted from that exchange's events alone.
     *
     * @param routeId the route's Camel id
     * @param delivered true if delivered, false if the condition refused it
     * @param startedNanos {@link System#nanoTime()} when the route took the message
     */
    public void countDirect(String routeId, boolean delivered, long startedNanos) {
        Meters meters = byRouteId.get(routeId);
        if (meters == null) {
            Route route = getCamelContext() == null ? null : getCamelContext().getRoute(routeId);
            if (route == null) {
                return;
            }
            meters = byRouteId.computeIfAbsent(routeId, id -> metersOf(route));
        }
        meters.in().increment();
        (delivered ? meters.delivered() : meters.filtered()).increment();
        meters.latency().record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** Each route's last error, by route name; routes that never failed are absent. */
    public Map<String, RouteError> lastErrors() {
        return Map.copyOf(lastErrors);
    }

    private void recordError(String route, Exchange exchange) {
        Throwable cause = exchange.getException();
        if (cause == null) {
            cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        if (cause == null) {
            return;
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (message.length() > MAX_ERROR_LENGTH) {
            message = message.substring(0, MAX_ERROR_LENGTH) + "…";
        }
        lastErrors.put(route, new RouteError(Instant.now(), message));
    }

    private static void recordLatency(Meters meters, Exchange exchange) {
        meters.latency().record(exchange.getClock().elapsed(), TimeUnit.MILLISECONDS);
    }

    /** A route's name: its name property, else its id. */
    public static String nameOf(Route route) {
        Object name = route.getProperties().get(NAME_PROPERTY);
        return name == null ? route.getRouteId() : name.toString();
    }

    /** Drops a removed route's meters once no other route of its name is left (a reload's new generation is). */
    private void forget(Route removed) {
        Meters meters = byRouteId.remove(removed.getRouteId());
        if (meters == null || byRouteId.values().stream().anyMatch(m -> m.name().equals(meters.name()))) {
            return;
        }
        meters.all().forEach(registry::remove);
        lastErrors.remove(meters.name());
    }

    /** The meters of the route's name: those of an earlier generation still running, else new ones. */
    private Meters metersOf(Route route) {
        String name = nameOf(route);
        return byRouteId.values().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseGet(() -> meters(route));
    }

    private Meters meters(Route first) {
        String route = nameOf(first);
        CamelContext context = first.getCamelContext();
        return new Meters(route,
                counter("tributary.route.messages.in", route, "messages that entered the route"),
                counter("tributary.route.messages.delivered", route, "messages the route delivered to its sink"),
                counter("tributary.route.messages.filtered", route,
                        "messages the route's condition refused; they complete at once"),
                counter("tributary.route.messages.failed", route,
                        "messages whose delivery failed after the last attempt (dead-lettered or not)"),
                counter("tributary.route.messages.retried", route, "redelivery attempts"),
                counter("tributary.route.messages.dead.lettered", route,
                        "failed messages the dead-letter destination took"),
                Timer.builder("tributary.route.latency")
                        .description("from a message's arrival in the route to its end, retries included")
                        .tag("route", route)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofMinutes(2))
                        .register(registry),
                Gauge.builder("tributary.route.up", context, c -> RouteStates.isStarted(c, route) ? 1 : 0)
                        .description("1 while a route of this name is started, else 0")
                        .tag("route", route)
                        .register(registry));
    }

    private Counter counter(String name, String route, String description) {
        return Counter.builder(name).description(description).tag("route", route).register(registry);
    }
}
