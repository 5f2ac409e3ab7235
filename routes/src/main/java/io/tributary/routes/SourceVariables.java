package io.tributary.routes;

import io.tributary.bridge.config.RouteSource;
import io.tributary.routes.spi.MessageVariables;
import org.apache.camel.Exchange;

/** Reads the template variables of an exchange as the route's source wrote it. */
@FunctionalInterface
interface SourceVariables {

    MessageVariables of(Exchange exchange);

    /** The reader for a route's source. */
    static SourceVariables of(RouteSource source) {
        if (source instanceof RouteSource.Mqtt mqtt) {
            return exchange -> MessageVariables.ofMqtt(exchange, mqtt.filter());
        }
        if (source instanceof RouteSource.ExternalMqtt mqtt) {
            return exchange -> MessageVariables.ofMqtt(exchange, mqtt.filter());
        }
        return MessageVariables::ofKafka;
    }
}
