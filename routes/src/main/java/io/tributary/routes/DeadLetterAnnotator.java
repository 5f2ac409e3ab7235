package io.tributary.routes;

import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.bridge.camel.PayloadRefusal;
import io.tributary.bridge.config.RouteSink;
import io.tributary.broker.UserProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches why a message was dead-lettered: the route and the error go along as MQTT 5 user properties
 * {@code tributary-route} and {@code tributary-error}, which a Kafka dead-letter record carries as headers.
 * A message dead-lettered because of a permanent failure is marked refused, so that its publisher is told, and
 * logged at most once per {@link #LOG_INTERVAL_NANOS} per route with the count of those not logged.
 */
final class DeadLetterAnnotator implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterAnnotator.class);
    static final String ROUTE_PROPERTY = "tributary-route";
    static final String ERROR_PROPERTY = "tributary-error";
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String route;
    private final String destination;
    private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong notLogged = new AtomicLong();

    DeadLetterAnnotator(String route, RouteSink deadLetter) {
        this.route = route;
        this.destination = describe(deadLetter);
    }

    @Override
    public void process(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = error == null ? "unknown error" : describe(error);
        List<UserProperty> properties = new ArrayList<>();
        for (Object property : exchange.getIn().getHeader(MqttHeaders.USER_PROPERTIES, List.of(), List.class)) {
            properties.add((UserProperty) property);
        }
        properties.add(new UserProperty(ROUTE_PROPERTY, route));
        properties.add(new UserProperty(ERROR_PROPERTY, reason));
        exchange.getIn().setHeader(MqttHeaders.USER_PROPERTIES, properties);
        if (ConfiguredRoutes.isPermanent(error)) {
            exchange.setProperty(PayloadRefusal.PROPERTY, reason);
            logRefused(exchange, reason);
        }
    }

    private void logRefused(Exchange exchange, String reason) {
        long now = System.nanoTime();
        long next = nextLogNanos.get();
        if (now - next < 0 || !nextLogNanos.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            notLogged.incrementAndGet();
            return;
        }
        long more = notLogged.getAndSet(0);
        String topic = exchange.getIn().getHeader(MqttHeaders.TOPIC, String.class);
        LOG.warn("Route {}: a message{} can never be delivered ({}); sent to the dead letter {}{}", route,
                topic == null ? "" : " on " + topic, reason, destination,
                more == 0 ? "" : " (and " + more + " more since the last such line)");
    }

    static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String describe(RouteSink deadLetter) {
        if (deadLetter instanceof RouteSink.Mqtt mqtt) {
            return "MQTT topic " + mqtt.topic();
        }
        if (deadLetter instanceof RouteSink.Kafka kafka) {
            return "Kafka topic " + kafka.topic();
        }
        if (deadLetter instanceof RouteSink.Http http) {
            return "webhook";
        }
        if (deadLetter instanceof RouteSink.Jdbc table) {
            return "table " + table.table();
        }
        return deadLetter.toString();
    }
}
