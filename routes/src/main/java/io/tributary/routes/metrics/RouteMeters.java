package io.tributary.routes.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCreatedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailureHandledEvent;
import org.apache.camel.spi.CamelEvent.ExchangeRedeliveryEvent;
import org.apache.camel.spi.CamelEvent.RouteStartedEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Counts each route's messages from Camel's exchange events, tagged {@code route} with the id of the route
 * the exchange started in (a dead-letter route reached through {@code direct:} is part of its route's
 * exchange). Every message that comes in ends as either delivered (which includes a message the route's
 * condition refused: it completes at once) or failed (after its last attempt); a failed message the
 * dead-letter destination took is also counted as dead-lettered. Retried counts redelivery attempts. The latency is from the message's arrival to its end,
 * retries included.
 */
public final class RouteMeters extends EventNotifierSupport {

    private static final String DEAD_LETTERED = "TributaryMetricsDeadLettered";

    private final MeterRegistry registry;
    private final Set<String> ignoredRoutes;
    private final ConcurrentMap<String, Meters> byRoute = new ConcurrentHashMap<>();

    private record Meters(Counter in, Counter delivered, Counter failed, Counter retried,
                          Counter deadLettered, Timer latency) {
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
        return event instanceof ExchangeEvent || event instanceof RouteStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof RouteStartedEvent started) {
            // A started route shows its meters at 0 before its first message; one reached through direct:
            // (a dead-letter route) is part of its caller's exchanges and has none of its own.
            String route = started.getRoute().getRouteId();
            if (!ignoredRoutes.contains(route)
                    && !started.getRoute().getEndpoint().getEndpointUri().startsWith("direct:")) {
                byRoute.computeIfAbsent(route, this::meters);
            }
            return;
        }
        if (!(event instanceof ExchangeEvent exchangeEvent)) {
            return;
        }
        Exchange exchange = exchangeEvent.getExchange();
        String route = exchange.getFromRouteId();
        if (route == null || ignoredRoutes.contains(route)) {
            return;
        }
        Meters meters = byRoute.computeIfAbsent(route, this::meters);
        if (event instanceof ExchangeCreatedEvent) {
            meters.in().increment();
        } else if (event instanceof ExchangeRedeliveryEvent) {
            meters.retried().increment();
        } else if (event instanceof ExchangeFailureHandledEvent handled && handled.isDeadLetterChannel()) {
            exchange.setProperty(DEAD_LETTERED, Boolean.TRUE);
        } else if (event instanceof ExchangeFailedEvent) {
            meters.failed().increment();
            recordLatency(meters, exchange);
        } else if (event instanceof ExchangeCompletedEvent) {
            if (exchange.getProperty(DEAD_LETTERED, false, Boolean.class)) {
                meters.failed().increment();
                meters.deadLettered().increment();
            } else {
                meters.delivered().increment();
            }
            recordLatency(meters, exchange);
        }
    }

    private static void recordLatency(Meters meters, Exchange exchange) {
        meters.latency().record(exchange.getClock().elapsed(), TimeUnit.MILLISECONDS);
    }

    private Meters meters(String route) {
        return new Meters(
                counter("tributary.route.messages.in", route, "messages that entered the route"),
                counter("tributary.route.messages.delivered", route,
                        "messages the route completed: delivered to its sink, or refused by its condition"),
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
                        .register(registry));
    }

    private Counter counter(String name, String route, String description) {
        return Counter.builder(name).description(description).tag("route", route).register(registry);
    }
}
