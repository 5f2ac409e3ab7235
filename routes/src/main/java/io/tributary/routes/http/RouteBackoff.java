package io.tributary.routes.http;

import io.tributary.bridge.config.RetrySettings;
import java.time.Duration;
import org.apache.camel.ErrorHandlerFactory;
import org.apache.camel.Exchange;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.apache.camel.support.CamelContextHelper;

/**
 * The longest wait between two attempts of the route an exchange runs in (its {@code retry.max-backoff}),
 * read from the error handler of the route's definition; a webhook's {@code Retry-After} is capped by it, as
 * Camel caps its own backoff. (The running route does not keep its error handler's settings, its definition
 * does.)
 */
final class RouteBackoff {

    /** For an exchange whose route has no redelivery settings of its own: the default {@code max-backoff}. */
    static final Duration FALLBACK = RetrySettings.defaults().maxBackoff();

    private RouteBackoff() {
    }

    static Duration max(Exchange exchange) {
        try {
            Model model = exchange.getContext().getCamelContextExtension().getContextPlugin(Model.class);
            RouteDefinition route = model == null ? null : model.getRouteDefinition(exchange.getFromRouteId());
            ErrorHandlerFactory factory = route == null ? null : route.getErrorHandlerFactory();
            if (factory instanceof DefaultErrorHandlerDefinition handler && handler.hasRedeliveryPolicy()) {
                String max = handler.getRedeliveryPolicy().getMaximumRedeliveryDelay();
                Long millis = max == null ? null : CamelContextHelper.parseLong(exchange.getContext(), max);
                if (millis != null && millis > 0) {
                    return Duration.ofMillis(millis);
                }
            }
        } catch (RuntimeException e) {
            // Not a route of ours (a Camel YAML route, say): the fallback.
        }
        return FALLBACK;
    }
}
