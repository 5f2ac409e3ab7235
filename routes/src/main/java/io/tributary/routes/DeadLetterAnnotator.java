package io.tributary.routes;

import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.bridge.camel.PayloadRefusal;
import io.tributary.bridge.config.RouteSink;
import io.tributary.broker.UserProperty;
import io.tributary.routes.logging.FailureLog;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.LoggerFactory;

/**
 * Attaches why a message was dead-lettered: the route and the error go along as MQTT 5 user properties
 * {@code tributary-route} and {@code tributary-error}, which a Kafka dead-letter record carries as headers.
 * A message dead-lettered because of a permanent failure is marked refused, so that its publisher is told, and
 * logged through a {@link FailureLog}: at most once per route and kind of failure every 10 s.
 */
final class DeadLetterAnnotator implements Processor {

    static final String ROUTE_PROPERTY = "tributary-route";
    static final String ERROR_PROPERTY = "tributary-error";

    private final String route;
    private final String destination;
    /** One line per failure kind every 10 s, with the count of the others. */
    private final FailureLog failures = new FailureLog(LoggerFactory.getLogger(DeadLetterAnnotator.class));

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
            logRefused(exchange, error, reason);
        }
    }

    private void logRefused(Exchange exchange, Throwable error, String reason) {
        String topic = exchange.getIn().getHeader(MqttHeaders.TOPIC, String.class);
        failures.warn(route, "refused " + error.getClass().getSimpleName(), () -> "route " + route + ": a message"
                + (topic == null ? "" : " on " + topic) + " can never be delivered (" + reason
                + "); sent to the dead letter " + destination);
    }

    static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String describe(RouteSink deadLetter) {
        if (deadLetter instanceof RouteSink.Mqtt mqtt) {
            return "MQTT topic " + mqtt.topic() + mqtt.connection().map(c -> " of " + c).orElse("");
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
