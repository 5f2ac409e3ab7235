package io.tributary.routes;

import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.broker.UserProperty;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Attaches why a message was dead-lettered: the route and the error go along as MQTT 5 user properties
 * {@code tributary-route} and {@code tributary-error}, which a Kafka dead-letter record carries as headers.
 */
final class DeadLetterAnnotator implements Processor {

    static final String ROUTE_PROPERTY = "tributary-route";
    static final String ERROR_PROPERTY = "tributary-error";

    private final String route;

    DeadLetterAnnotator(String route) {
        this.route = route;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        List<UserProperty> properties = new ArrayList<>();
        for (Object property : exchange.getIn().getHeader(MqttHeaders.USER_PROPERTIES, List.of(), List.class)) {
            properties.add((UserProperty) property);
        }
        properties.add(new UserProperty(ROUTE_PROPERTY, route));
        properties.add(new UserProperty(ERROR_PROPERTY, error == null ? "unknown error" : describe(error)));
        exchange.getIn().setHeader(MqttHeaders.USER_PROPERTIES, properties);
    }

    static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
